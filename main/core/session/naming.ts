// How names from several servers share one namespace on the aggregate endpoint. Tool and prompt
// names become `<serverId>__<name>`; resource URIs get a scheme prefix; cursors carry the server
// they belong to (see aggregate-view.ts). Every mapping is reversible, so nothing needs remembering to route a call.
import { createHash } from 'node:crypto';

/** The strictest rule any IDE applies to tool names. */
export const EXPOSED_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const SEPARATOR = '__';
const HASH_LEN = 6;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').replace(/[^a-zA-Z0-9]/g, '').slice(0, HASH_LEN).toLowerCase();
}

/**
 * `<serverId>__<name>`, or when the name has characters clients refuse or would not fit in 64,
 * a sanitised, truncated form ending in a stable hash of the original (`~` never appears in
 * a clean name, so a hashed name is recognisable and must be looked up).
 */
export function exposeName(serverId: string, name: string): string {
  const plain = `${serverId}${SEPARATOR}${name}`;
  if (EXPOSED_NAME.test(plain)) return plain;
  const hash = shortHash(name);
  const room = 64 - serverId.length - SEPARATOR.length - HASH_LEN - 1;
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, Math.max(1, room));
  return `${serverId}${SEPARATOR}${cleaned}-${hash}`;
}

/** Splits an exposed name into server id and the name as given, before any hashing. */
export function splitExposedName(exposed: string): { serverId: string; rest: string } | undefined {
  const at = exposed.indexOf(SEPARATOR);
  if (at <= 0) return undefined;
  return { serverId: exposed.slice(0, at), rest: exposed.slice(at + SEPARATOR.length) };
}

const URI_PREFIX = 'gh-';

/** `demo://x` from server `docs` becomes `gh-docs+demo://x`: still a valid URI, and reversible. */
export function exposeUri(serverId: string, uri: string): string {
  return `${URI_PREFIX}${serverId}+${uri}`;
}

export function splitExposedUri(exposed: string): { serverId: string; uri: string } | undefined {
  if (!exposed.startsWith(URI_PREFIX)) return undefined;
  const plus = exposed.indexOf('+', URI_PREFIX.length);
  if (plus < 0) return undefined;
  return { serverId: exposed.slice(URI_PREFIX.length, plus), uri: exposed.slice(plus + 1) };
}
