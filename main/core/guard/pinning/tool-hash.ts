// The identity of a tool definition: SHA-256 (lowercase hex) of its canonical JSON.
//
// What is hashed: every field of the definition except `_meta` — name, title, description,
// inputSchema, outputSchema, annotations, and also icons, execution, and any field a vendor or a
// later protocol version adds. A server must not be able to change what the model or the user sees
// in a field Gatehouse happens not to know. `_meta` alone is left out: the protocol reserves it for
// metadata about the listing rather than the tool's contract, and servers put per-session or
// per-listing values there that would quarantine a tool that did not change.
//
// Canonical JSON is RFC 8785 (JCS) for values parsed from JSON: object keys sorted by UTF-16 code
// units, no whitespace, arrays in order, strings and numbers as ECMAScript's JSON.stringify writes
// them. An admin can therefore compute an expected hash with any JCS implementation:
// sha256(JCS(tool without "_meta")).
import { hash } from 'node:crypto';
import { GatehouseError } from '../../../../common/errors.js';

/** A tool as listed by a server (tools/list). Only `name` is relied on; everything else is hashed. */
export interface ToolDefinition {
  readonly name: string;
  readonly [field: string]: unknown;
}

/** The part of a definition that is pinned: everything but `_meta`. */
export type ToolSnapshot = Readonly<Record<string, unknown>>;

/** Deeper than this is no honest tool, and recursion must not exhaust the stack. */
export const MAX_DEFINITION_DEPTH = 64;

export function isToolDefinition(value: unknown): value is ToolDefinition {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Record<string, unknown>)['name'] === 'string';
}

export function toolSnapshot(tool: ToolDefinition): ToolSnapshot {
  const snapshot: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tool)) {
    if (key !== '_meta' && value !== undefined) snapshot[key] = value;
  }
  return snapshot;
}

/** Canonical JSON (JCS) of a JSON value. Throws GATEHOUSE_UPSTREAM_ERROR on what JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEFINITION_DEPTH) throw invalid(`it is nested deeper than ${MAX_DEFINITION_DEPTH} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid('it holds a number JSON cannot represent');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : write(item, depth + 1))).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) parts.push(`${JSON.stringify(key)}:${write(item, depth + 1)}`);
    }
    return `{${parts.join(',')}}`;
  }
  throw invalid(`it holds a ${typeof value}, which JSON cannot represent`);
}

function invalid(why: string): GatehouseError {
  return new GatehouseError('GATEHOUSE_UPSTREAM_ERROR', `The tool definition cannot be pinned: ${why}.`);
}

export function sha256Hex(text: string): string {
  // One-shot: no Hash object per call (it runs for every audit event and every tool call's arguments).
  return hash('sha256', text, 'hex');
}

/** SHA-256 hex of the canonical JSON of the tool's snapshot (everything but `_meta`). */
export function hashTool(tool: ToolDefinition): string {
  return sha256Hex(canonicalJson(toolSnapshot(tool)));
}
