// Puts Gatehouse's entries into an IDE's server map without disturbing anything else in it.
import { isJsonObject } from './config-file.js';
import type { JsonObject, JsonValue } from './types.js';

/** Keys Gatehouse writes: `gatehouse` (aggregate) and `gatehouse-<serverId>`. */
export const GATEHOUSE_KEY_PATTERN = /^gatehouse(?:-[A-Za-z0-9._-]+)?$/;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * True for an HTTP entry pointing at a Gatehouse endpoint (loopback, path /mcp or /mcp/<id>), on
 * any port since the broker's port may have changed since it was written. The IDE file does not
 * say which client an HTTP entry was written for (the token is opaque), so every such entry in one
 * file is taken as belonging to the client now connecting that IDE.
 */
export function isGatehouseHttpEntry(value: JsonValue | undefined): boolean {
  if (!isJsonObject(value)) return false;
  const raw = value.url ?? value.serverUrl;
  if (typeof raw !== 'string') return false;
  const url = URL.parse(raw);
  return (
    url !== null &&
    url.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(url.hostname) &&
    (url.pathname === '/mcp' || url.pathname.startsWith('/mcp/'))
  );
}

/** True for a stdio entry that runs the Gatehouse shim for this very client (`stdio --client <name>`). */
export function isGatehouseStdioEntryFor(clientName: string): (value: JsonValue | undefined) => boolean {
  return (value) => {
    if (!isJsonObject(value) || !Array.isArray(value.args)) return false;
    const args = value.args;
    const at = args.indexOf('--client');
    return args.includes('stdio') && at !== -1 && args[at + 1] === clientName;
  };
}

export interface MergeResult {
  readonly servers: JsonObject;
  readonly removed: string[];
}

/**
 * `existing` with `ours` set (replacing same-named entries in place, so the user's ordering
 * survives) and with earlier Gatehouse entries that are no longer wanted removed. Entries that
 * only look like ours by name (a `gatehouse-x` the user pointed elsewhere) are kept; a key we
 * write now is ours, whatever it held before.
 */
export function mergeServers(
  existing: JsonObject,
  ours: JsonObject,
  isOurs: (value: JsonValue | undefined) => boolean,
): MergeResult {
  const servers: JsonObject = {};
  const removed: string[] = [];
  for (const [key, value] of Object.entries(existing)) {
    if (Object.hasOwn(ours, key)) setOwn(servers, key, ours[key] ?? null);
    else if (GATEHOUSE_KEY_PATTERN.test(key) && isOurs(value)) removed.push(key);
    else setOwn(servers, key, value);
  }
  for (const [key, value] of Object.entries(ours)) if (!Object.hasOwn(servers, key)) setOwn(servers, key, value);
  return { servers, removed };
}

// Plain assignment of a key named "__proto__" (which JSON.parse creates as an ordinary key) would
// change the object's prototype instead of copying the user's entry.
function setOwn(target: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
