// What the audit trail keeps of a call's arguments. Never the raw values: by default what DLP let
// through with its matches masked and long values cut, so the log stays useful to an investigator
// without becoming a second copy of everything agents sent. The hash of the raw arguments lets
// someone holding a copy prove it is what was sent.
import { canonicalJson, sha256Hex } from '../guard/pinning/tool-hash.js';
import type { AuditPolicy } from './audit-policy.js';

const MAX_STRING = 256;
const MAX_ITEMS = 32;
const MAX_DEPTH = 6;

/**
 * `shown` is what may be kept of the values: the arguments DLP scanned (masked where it matched).
 * Undefined when they were not scanned or DLP blocked them; then only the names are kept.
 */
export function auditArguments(
  mode: AuditPolicy['arguments'],
  raw: Record<string, unknown> | undefined,
  shown: Record<string, unknown> | undefined,
): { arguments?: unknown; argumentsHash?: string } {
  if (raw === undefined) return {};
  const argumentsHash = sha256Hex(canonicalOrPlain(raw));
  switch (mode) {
    case 'none':
      return { argumentsHash };
    case 'keys':
      return { arguments: Object.keys(raw).slice(0, MAX_ITEMS * 4), argumentsHash };
    case 'redacted':
      return { arguments: shown === undefined ? Object.keys(raw).slice(0, MAX_ITEMS * 4) : shorten(shown, 0), argumentsHash };
  }
}

function canonicalOrPlain(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch {
    // Deeper than canonical JSON allows: the plain text still identifies it.
    return JSON.stringify(value);
  }
}

function shorten(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length <= MAX_STRING ? value : `${value.slice(0, MAX_STRING)}…(+${value.length - MAX_STRING} chars)`;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[${value.length} items]` : '{…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => shorten(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`…(+${value.length - MAX_ITEMS} items)`);
    return items;
  }
  const entries = Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries.slice(0, MAX_ITEMS)) out[key.slice(0, MAX_STRING)] = shorten(item, depth + 1);
  if (entries.length > MAX_ITEMS) out['…'] = `+${entries.length - MAX_ITEMS} keys`;
  return out;
}
