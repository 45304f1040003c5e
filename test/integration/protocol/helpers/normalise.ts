// What legitimately differs between two sessions with the same server, made equal explicitly so
// the rest of an observation can be compared deep-equal:
// - clock times that server-everything stamps into dynamic resources ("created at 10:11:12 AM"),
//   also inside base64 blobs;
// - session ids (UUIDs) it quotes in tool results and log messages.
// Everything else must be identical, byte for byte after JSON parsing.

const TIME = /\b\d{1,2}:\d{2}:\d{2}(?:\s?[AP]M)?/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scrubText(s: string): string {
  return s.replace(TIME, '<time>').replace(UUID, '<uuid>');
}

/** A blob whose decoded text carries a clock time is compared by its scrubbed text. */
function scrubBlob(b64: string): string {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  return text.search(TIME) >= 0 ? `base64-text(${scrubText(text)})` : b64;
}

export function scrub<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return scrubText(v);
  if (Array.isArray(v)) return v.map(walk);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'blob' && typeof x === 'string' ? scrubBlob(x) : walk(x);
  return out;
}

/**
 * Undoes the aggregate endpoint's namespacing for one server, so an observation made through `/mcp`
 * can be compared with one made directly: `gh-<id>+<uri>` becomes `<uri>`, a `name` of
 * `<id>__<name>` becomes `<name>`, and a log `logger` of `<id>` or `<id>/<logger>` becomes what the
 * server itself sent (absent, or `<logger>`).
 */
export function unnamespace<T>(value: T, serverId: string): T {
  const uriPrefix = `gh-${serverId}+`;
  const namePrefix = `${serverId}__`;
  const visit = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (v.startsWith(uriPrefix)) return v.slice(uriPrefix.length);
      if (key === 'name' && v.startsWith(namePrefix)) return v.slice(namePrefix.length);
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => visit(x));
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'logger' && typeof x === 'string') {
        if (x === serverId) continue;
        if (x.startsWith(`${serverId}/`)) {
          out[k] = x.slice(serverId.length + 1);
          continue;
        }
      }
      out[k] = visit(x, k);
    }
    return out;
  };
  return visit(value) as T;
}
