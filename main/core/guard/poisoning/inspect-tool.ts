// Reads a tool definition the way the model will: its name, title, description and every text in
// its input and output schemas, and reports what looks like tool poisoning, with where it was
// found and an excerpt a person can judge (invisible characters written out as <U+200B>).
// Flags are evidence for a person, not a verdict: the pinning step decides, per policy, whether a
// flagged tool is hidden until approved.
import { channelTier } from './parameter-names.js';
import { findRule, TEXT_RULES, type RuleKind } from './rules.js';
import { decodeTagCharacters, describeCodePoint, findInvisible, makeVisible, normalizeForMatching, type InvisibleKind } from './unicode.js';

export type FlagKind = InvisibleKind | RuleKind | 'exfiltration-parameter';

/**
 * `name`, `title` (the tool's or its annotations'), `description`, `input-schema` / `output-schema`
 * (texts at the schema's root), `parameter:<path>` (a parameter's name), `parameter-description:<path>`
 * (its description, title, enum or example values), `output:<path>` (texts of the output schema).
 * Nested parameters read `a.b`, array items `a[]`.
 */
export type FlagLocation =
  | 'name'
  | 'title'
  | 'description'
  | 'input-schema'
  | 'output-schema'
  | `parameter:${string}`
  | `parameter-description:${string}`
  | `output:${string}`;

export interface PoisoningFlag {
  readonly kind: FlagKind;
  readonly where: FlagLocation;
  /** Stable id of the check that fired (`model-tag`, `zero-width`...), for tests, audit and tuning. */
  readonly rule: string;
  /** What was found, in words for the person reviewing the tool. */
  readonly detail: string;
  /** The text around the finding, invisible characters made visible, at most ~200 characters. */
  readonly excerpt: string;
}

const CONTEXT = 60;
const EXCERPT_MAX = 200;
const MAX_DEPTH = 32;
const MAX_NODES = 5_000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Everything in `tool` that looks like poisoning; empty for a clean tool. Never throws. */
export function inspectTool(tool: unknown): PoisoningFlag[] {
  if (!isObject(tool)) return [];
  const flags = new Flags();
  if (typeof tool['name'] === 'string') flags.inspectText(tool['name'], 'name', { rules: false });
  if (typeof tool['title'] === 'string') flags.inspectText(tool['title'], 'title');
  if (isObject(tool['annotations']) && typeof tool['annotations']['title'] === 'string') flags.inspectText(tool['annotations']['title'], 'title');
  if (typeof tool['description'] === 'string') flags.inspectText(tool['description'], 'description');
  const channels: Array<{ name: string; where: FlagLocation; always: boolean }> = [];
  const budget = { nodes: MAX_NODES };
  walkSchema(tool['inputSchema'], '', 0, budget, {
    text: (text, path) => flags.inspectText(text, path === '' ? 'input-schema' : `parameter-description:${path}`),
    name: (name, path) => {
      flags.inspectText(name, `parameter:${path}`, { rules: false });
      const tier = channelTier(name);
      if (tier !== undefined) channels.push({ name, where: `parameter:${path}`, always: tier === 'always' });
    },
  });
  walkSchema(tool['outputSchema'], '', 0, budget, {
    text: (text, path) => flags.inspectText(text, path === '' ? 'output-schema' : `output:${path}`),
    name: (name, path) => flags.inspectText(name, `output:${path}`, { rules: false }),
  });
  // A common name is only the likely channel when something else in the tool is already wrong.
  const otherSigns = flags.list.length > 0;
  for (const channel of channels) {
    if (!channel.always && !otherSigns) continue;
    flags.add({
      kind: 'exfiltration-parameter',
      where: channel.where,
      rule: channel.always ? 'side-channel-name' : 'channel-name-with-other-signs',
      detail: channel.always
        ? `a parameter named '${makeVisible(channel.name, 64)}', a name used to smuggle data out through tool arguments`
        : `a parameter named '${makeVisible(channel.name, 64)}' in a tool that also shows other signs of poisoning: the likely channel for what it asks for`,
      excerpt: makeVisible(channel.name, EXCERPT_MAX),
    });
  }
  return flags.list;
}

interface SchemaVisitor {
  text(text: string, path: string): void;
  name(name: string, path: string): void;
}

const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMAS = ['not', 'if', 'then', 'else', 'additionalProperties', 'unevaluatedProperties', 'contains'];
const SCHEMA_MAPS = ['$defs', 'definitions'];

// Every text a JSON Schema shows the model: titles, descriptions, property names, and string
// values it suggests (enum, const, default, examples). Bounded in depth and size: a definition
// past those bounds is not a real tool, and its hash still pins all of it.
function walkSchema(schema: unknown, path: string, depth: number, budget: { nodes: number }, visit: SchemaVisitor): void {
  if (!isObject(schema) || depth > MAX_DEPTH || budget.nodes-- <= 0) return;
  for (const key of ['title', 'description']) {
    const value = schema[key];
    if (typeof value === 'string') visit.text(value, path);
  }
  for (const key of ['enum', 'examples', 'const', 'default']) {
    const value = schema[key];
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') visit.text(item, path);
  }
  const properties = schema['properties'];
  if (isObject(properties)) {
    for (const [name, child] of Object.entries(properties)) {
      const childPath = path === '' ? name : `${path}.${name}`;
      visit.name(name, childPath);
      walkSchema(child, childPath, depth + 1, budget, visit);
    }
  }
  const items = schema['items'];
  for (const child of Array.isArray(items) ? items : [items]) walkSchema(child, `${path}[]`, depth + 1, budget, visit);
  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list)) for (const child of list) walkSchema(child, path, depth + 1, budget, visit);
  }
  for (const key of SUBSCHEMAS) walkSchema(schema[key], path, depth + 1, budget, visit);
  for (const key of SCHEMA_MAPS) {
    const map = schema[key];
    if (isObject(map)) for (const [name, child] of Object.entries(map)) walkSchema(child, `${key}.${name}`, depth + 1, budget, visit);
  }
}

class Flags {
  readonly list: PoisoningFlag[] = [];
  private readonly seen = new Set<string>();

  add(flag: PoisoningFlag): void {
    const key = `${flag.kind}\u0000${flag.where}\u0000${flag.rule}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(flag);
  }

  inspectText(text: string, where: FlagLocation, options: { rules?: boolean } = {}): void {
    const visibleWhere = where.includes(':') ? (makeVisible(where, 200) as FlagLocation) : where;
    this.inspectInvisible(text, visibleWhere);
    if (options.rules === false) return;
    const normalized = normalizeForMatching(text);
    for (const rule of TEXT_RULES) {
      const match = findRule(rule, normalized.text);
      if (match === undefined) continue;
      const start = normalized.origin[match.start] ?? 0;
      const end = (normalized.origin[match.end - 1] ?? start) + 1;
      this.add({ kind: rule.kind, where: visibleWhere, rule: rule.id, detail: rule.label, excerpt: excerptAround(text, start, end) });
    }
    // Tag characters spell text the reader cannot see: read it as the model would.
    const hidden = decodeTagCharacters(text);
    if (hidden === '') return;
    const normalizedHidden = normalizeForMatching(hidden);
    for (const rule of TEXT_RULES) {
      const match = findRule(rule, normalizedHidden.text);
      if (match === undefined) continue;
      const start = normalizedHidden.origin[match.start] ?? 0;
      const end = (normalizedHidden.origin[match.end - 1] ?? start) + 1;
      this.add({ kind: rule.kind, where: visibleWhere, rule: `${rule.id}:hidden`, detail: `in invisible tag characters: ${rule.label}`, excerpt: excerptAround(hidden, start, end) });
    }
  }

  private inspectInvisible(text: string, where: FlagLocation): void {
    const found = findInvisible(text);
    for (const kind of ['hidden-unicode', 'bidi-control'] as const) {
      const ofKind = found.filter((c) => c.kind === kind);
      const first = ofKind[0];
      if (first === undefined) continue;
      const distinct = [...new Set(ofKind.map((c) => c.codePoint))];
      const listed = distinct.slice(0, 5).map(describeCodePoint).join(', ') + (distinct.length > 5 ? `, and ${distinct.length - 5} more` : '');
      const hidden = kind === 'hidden-unicode' ? decodeTagCharacters(text) : '';
      const what = kind === 'bidi-control' ? 'bidirectional control character' : 'invisible character';
      this.add({
        kind,
        where,
        rule: kind === 'bidi-control' ? 'bidi-control' : hidden !== '' ? 'tag-characters' : 'invisible-character',
        detail:
          `${ofKind.length} ${what}${ofKind.length === 1 ? '' : 's'} (${listed})` +
          (hidden !== '' ? `; the tag characters spell ${JSON.stringify(makeVisible(hidden, 120))}` : ''),
        excerpt: excerptAround(text, first.index, first.index + (first.codePoint > 0xffff ? 2 : 1)),
      });
    }
  }
}

function excerptAround(text: string, start: number, end: number): string {
  const from = codePointBoundary(text, Math.max(0, start - CONTEXT));
  const to = codePointBoundary(text, Math.min(text.length, Math.max(end, start + 1) + CONTEXT));
  const tidy = (part: string): string => makeVisible(part).replace(/ {2,}/g, ' ');
  const before = tidy(text.slice(from, start));
  const after = tidy(text.slice(end, to));
  const middle = tidy(text.slice(start, end));
  const room = EXCERPT_MAX - 2 * CONTEXT;
  return (
    (from > 0 || before.length > CONTEXT ? '…' : '') +
    before.slice(-CONTEXT) +
    (middle.length > room ? `${middle.slice(0, room)}…` : middle) +
    after.slice(0, CONTEXT) +
    (to < text.length || after.length > CONTEXT ? '…' : '')
  );
}

// Never cut a surrogate pair in two: half a character would show as garbage.
function codePointBoundary(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  return unit >= 0xdc00 && unit <= 0xdfff && index > 0 ? index - 1 : index;
}
