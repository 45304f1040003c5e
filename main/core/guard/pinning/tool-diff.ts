// What changed between the pinned and the current definition of a tool, field by field, in words a
// person can judge before re-approving. Summaries quote the server's text (made visible and cut
// short); describeChangesForAgent names the fields only, because an agent must never be handed the
// very text Gatehouse quarantined.
import { makeVisible } from '../poisoning/unicode.js';
import { canonicalJson, type ToolSnapshot } from './tool-hash.js';

export interface FieldChange {
  /**
   * `description`, `title`, `parameter:<name>`, `required`, `inputSchema` (outside its parameters),
   * `outputSchema`, `annotations.<key>`, `definition` (no earlier copy to compare), or the name of
   * any other top-level field.
   */
  readonly field: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** One line for people; server text is quoted with invisible characters made visible. */
  readonly summary: string;
  /** The change makes the tool more dangerous by its own account (no longer read-only, now destructive...). */
  readonly elevated?: true;
}

const QUOTE_MAX = 160;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const quote = (text: string): string => JSON.stringify(makeVisible(text, QUOTE_MAX));

/** The changes from `before` (the pinned copy, null when it was too large to keep) to `after`. */
export function diffTools(before: ToolSnapshot | null, after: ToolSnapshot): FieldChange[] {
  if (before === null) {
    return [{ field: 'definition', change: 'changed', summary: 'the definition changed; the approved copy was too large to keep, so review the new one in full' }];
  }
  const changes: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (same(a, b)) continue;
    switch (key) {
      case 'description':
      case 'title':
        changes.push(textChange(key, a, b));
        break;
      case 'inputSchema':
        changes.push(...inputSchemaChanges(a, b));
        break;
      case 'annotations':
        changes.push(...annotationChanges(a, b));
        break;
      case 'outputSchema':
        changes.push(outputSchemaChange(a, b));
        break;
      default:
        changes.push({ field: key, change: presence(a, b), summary: `'${makeVisible(key, 64)}' ${presence(a, b)}` });
    }
  }
  return changes;
}

function presence(a: unknown, b: unknown): FieldChange['change'] {
  return a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
}

function textChange(field: string, a: unknown, b: unknown): FieldChange {
  if (typeof a !== 'string' || typeof b !== 'string') {
    const change = presence(a, b);
    const now = typeof b === 'string' ? `: ${quote(b)}` : '';
    return { field, change, summary: `${field} ${change}${now}` };
  }
  // Common prefix and suffix, so the summary quotes what was inserted or removed, not everything.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const removed = a.slice(prefix, a.length - suffix);
  const added = b.slice(prefix, b.length - suffix);
  const parts = [
    removed !== '' ? `removed ${quote(removed)}` : undefined,
    added !== '' ? `added ${quote(added)}` : undefined,
  ].filter((part) => part !== undefined);
  return {
    field,
    change: 'changed',
    summary: `${field} changed at character ${prefix} (${a.length} → ${b.length} characters): ${parts.join('; ')}`,
  };
}

function propertiesOf(schema: unknown): Json {
  return isObject(schema) && isObject(schema['properties']) ? schema['properties'] : {};
}

function requiredOf(schema: unknown): Set<string> {
  const required = isObject(schema) ? schema['required'] : undefined;
  return new Set(Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : []);
}

function describeParameter(schema: unknown): string {
  if (!isObject(schema)) return '';
  const type = typeof schema['type'] === 'string' ? ` (${schema['type']})` : '';
  const description = typeof schema['description'] === 'string' ? `: ${quote(schema['description'])}` : '';
  return `${type}${description}`;
}

function inputSchemaChanges(a: unknown, b: unknown): FieldChange[] {
  const changes: FieldChange[] = [];
  const before = propertiesOf(a);
  const after = propertiesOf(b);
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const name of names) {
    const was = Object.hasOwn(before, name) ? before[name] : undefined;
    const now = Object.hasOwn(after, name) ? after[name] : undefined;
    if (same(was, now)) continue;
    const field = `parameter:${makeVisible(name, 64)}`;
    const label = `parameter '${makeVisible(name, 64)}'`;
    if (was === undefined) changes.push({ field, change: 'added', summary: `${label} added${describeParameter(now)}` });
    else if (now === undefined) changes.push({ field, change: 'removed', summary: `${label} removed` });
    else changes.push({ field, change: 'changed', summary: `${label} changed: ${parameterDifference(was, now)}` });
  }
  const requiredBefore = requiredOf(a);
  const requiredAfter = requiredOf(b);
  const nowRequired = [...requiredAfter].filter((r) => !requiredBefore.has(r)).sort();
  const noLonger = [...requiredBefore].filter((r) => !requiredAfter.has(r)).sort();
  if (nowRequired.length > 0 || noLonger.length > 0) {
    const parts = [
      nowRequired.length > 0 ? `now required: ${nowRequired.map((r) => makeVisible(r, 64)).join(', ')}` : undefined,
      noLonger.length > 0 ? `no longer required: ${noLonger.map((r) => makeVisible(r, 64)).join(', ')}` : undefined,
    ].filter((part) => part !== undefined);
    changes.push({ field: 'required', change: 'changed', summary: parts.join('; ') });
  }
  const rest = (schema: unknown): Json => {
    if (!isObject(schema)) return {};
    const { properties: _properties, required: _required, ...others } = schema;
    return others;
  };
  const otherBefore = rest(a);
  const otherAfter = rest(b);
  const otherKeys = [...new Set([...Object.keys(otherBefore), ...Object.keys(otherAfter)])].filter((k) => !same(otherBefore[k], otherAfter[k])).sort();
  if (otherKeys.length > 0 || (changes.length === 0 && !same(a, b))) {
    const listed = otherKeys.length > 0 ? ` (${otherKeys.map((k) => makeVisible(k, 64)).join(', ')})` : '';
    changes.push({ field: 'inputSchema', change: presence(a, b), summary: `input schema ${presence(a, b)} outside its parameters${listed}` });
  }
  return changes;
}

function parameterDifference(was: unknown, now: unknown): string {
  if (!isObject(was) || !isObject(now)) return 'its schema changed';
  const parts: string[] = [];
  if (!same(was['type'], now['type'])) parts.push(`type ${canonicalJson(was['type'] ?? null)} → ${canonicalJson(now['type'] ?? null)}`);
  if (!same(was['description'], now['description'])) parts.push(textChange('description', was['description'], now['description']).summary);
  const others = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter((k) => k !== 'type' && k !== 'description' && !same(was[k], now[k])).sort();
  if (others.length > 0) parts.push(`also ${others.map((k) => makeVisible(k, 64)).join(', ')}`);
  return parts.join('; ');
}

// The protocol's defaults for absent hints: not read-only, destructive, open-world.
function effectiveHints(annotations: unknown): { readOnly: boolean; destructive: boolean; openWorld: boolean } {
  const hints = isObject(annotations) ? annotations : {};
  const readOnly = hints['readOnlyHint'] === true;
  return { readOnly, destructive: !readOnly && hints['destructiveHint'] !== false, openWorld: hints['openWorldHint'] !== false };
}

function annotationChanges(a: unknown, b: unknown): FieldChange[] {
  const before = isObject(a) ? a : {};
  const after = isObject(b) ? b : {};
  const was = effectiveHints(a);
  const now = effectiveHints(b);
  const warnings: Record<string, string | undefined> = {
    readOnlyHint: was.readOnly && !now.readOnly ? 'no longer read-only' : undefined,
    destructiveHint: !was.destructive && now.destructive ? 'now destructive' : undefined,
    openWorldHint: !was.openWorld && now.openWorld ? 'now reaches outside systems' : undefined,
  };
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !same(before[k], after[k])).sort();
  return keys.map((key) => {
    const field = `annotations.${makeVisible(key, 64)}`;
    const warning = warnings[key];
    const show = (v: unknown): string => (v === undefined ? 'unset' : typeof v === 'string' ? quote(v) : canonicalJson(v));
    const summary = `${key}: ${show(before[key])} → ${show(after[key])}${warning ? ` (${warning})` : ''}`;
    return warning ? { field, change: presence(before[key], after[key]), summary, elevated: true as const } : { field, change: presence(before[key], after[key]), summary };
  });
}

function outputSchemaChange(a: unknown, b: unknown): FieldChange {
  const before = propertiesOf(a);
  const after = propertiesOf(b);
  const added = Object.keys(after).filter((k) => !Object.hasOwn(before, k));
  const removed = Object.keys(before).filter((k) => !Object.hasOwn(after, k));
  const parts = [
    added.length > 0 ? `fields added: ${added.map((k) => makeVisible(k, 64)).join(', ')}` : undefined,
    removed.length > 0 ? `fields removed: ${removed.map((k) => makeVisible(k, 64)).join(', ')}` : undefined,
  ].filter((part) => part !== undefined);
  return { field: 'outputSchema', change: presence(a, b), summary: `output schema ${presence(a, b)}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}` };
}

const SAFE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The changed fields, named but never quoted: `description, parameter 'sidenote' (added),
 * annotations.destructiveHint`. Safe to hand to an agent.
 */
export function describeChangesForAgent(changes: readonly FieldChange[]): string {
  const parts = changes.map((change) => {
    if (change.field.startsWith('parameter:')) {
      const name = change.field.slice('parameter:'.length);
      return `${SAFE_NAME.test(name) ? `parameter '${name}'` : 'a parameter'} (${change.change})`;
    }
    if (change.field.startsWith('annotations.')) {
      const key = change.field.slice('annotations.'.length);
      return SAFE_NAME.test(key) ? `annotations.${key}` : 'an annotation';
    }
    return SAFE_NAME.test(change.field) ? change.field : 'another field';
  });
  return [...new Set(parts)].join(', ');
}
