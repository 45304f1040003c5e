// Returns a copy of the arguments with each finding replaced: only the matched characters of a
// plain string; the whole value when the match was inside its base64 or URL-encoded form (the
// encoded text cannot be edited in place); the key itself when a key matched. A number that
// matched becomes a string. Untouched branches are shared with the original, not copied.
import type { DlpFinding, JsonPathSegment } from './scan.js';

export type Replacement = (finding: DlpFinding) => string;

/** `[REDACTED:aws-access-key-id]`: what the server receives. */
export const redactionMarker: Replacement = (finding) => `[REDACTED:${finding.detectorId}]`;

/** `[AKIA…LE]`: what a prompt may show a person. */
export const maskMarker: Replacement = (finding) => `[${finding.preview}]`;

interface EditNode {
  children: Map<JsonPathSegment, EditNode>;
  value: DlpFinding[];
  key: DlpFinding[];
}

const newNode = (): EditNode => ({ children: new Map(), value: [], key: [] });

export function redact(value: unknown, findings: readonly DlpFinding[], replacement: Replacement = redactionMarker): unknown {
  if (findings.length === 0) return value;
  const root = newNode();
  for (const finding of findings) {
    let node = root;
    for (const segment of finding.location) {
      let next = node.children.get(segment);
      if (next === undefined) node.children.set(segment, (next = newNode()));
      node = next;
    }
    (finding.inKey === true ? node.key : node.value).push(finding);
  }
  return rebuild(value, root, replacement);
}

function rebuild(value: unknown, edits: EditNode, replacement: Replacement): unknown {
  if (edits.value.length > 0 && (typeof value === 'string' || typeof value === 'number')) {
    return replaceIn(String(value), edits.value, replacement);
  }
  if (edits.children.size === 0) return value;
  if (Array.isArray(value)) {
    const copy = value.slice();
    for (const [segment, child] of edits.children) {
      if (typeof segment === 'number' && segment < copy.length) copy[segment] = rebuild(copy[segment], child, replacement);
    }
    return copy;
  }
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(source)) {
    const child = edits.children.get(key);
    if (child === undefined) {
      copy[key] = item;
      continue;
    }
    let name = child.key.length > 0 ? replaceIn(key, child.key, replacement) : key;
    for (let n = 2; name !== key && (Object.hasOwn(source, name) || Object.hasOwn(copy, name)); n++) name = `${replaceIn(key, child.key, replacement)}#${n}`;
    copy[name] = rebuild(item, child, replacement);
  }
  return copy;
}

/** Replaces the findings' spans in `text`; overlapping spans merge; an encoded finding replaces all of it. */
function replaceIn(text: string, findings: readonly DlpFinding[], replacement: Replacement): string {
  const encoded = findings.find((f) => f.encoding !== undefined);
  if (encoded !== undefined) return replacement(encoded);
  const spans = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (let i = 0; i < spans.length; ) {
    const first = spans[i]!;
    let end = first.end;
    for (i++; i < spans.length && spans[i]!.start < end; i++) end = Math.max(end, spans[i]!.end);
    out += text.slice(at, first.start) + replacement(first);
    at = end;
  }
  return out + text.slice(at);
}
