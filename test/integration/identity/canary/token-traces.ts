// What a token looks like once something has written it down, and a search for those forms in text
// and in every file under some directories. The forms: raw (UTF-8 and UTF-16LE), inside base64 or
// base64url at each of the three byte offsets it can start at (a token inside a larger base64 blob,
// such as an encoded JSON object), and percent-encoded (encodeURIComponent, and every byte escaped).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export type Encoding = 'raw' | 'utf-16' | 'base64' | 'base64url' | 'url-encoded';

/** A secret to look for; `label` names it in failures (which token, from where). */
export interface Canary {
  readonly label: string;
  readonly value: string;
}

export interface Trace {
  readonly encoding: Encoding;
  readonly bytes: Buffer;
}

export interface Sighting {
  /** The file, or the name of the text, that holds it. */
  readonly where: string;
  readonly label: string;
  readonly encoding: Encoding;
}

/** Shorter tokens would make the base64 forms short enough to match by chance. */
const MIN_TOKEN_LENGTH = 16;

export function tracesOf(token: string): Trace[] {
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`a canary must be at least ${MIN_TOKEN_LENGTH} characters, got ${token.length}`);
  const utf8 = Buffer.from(token, 'utf8');
  const traces: Trace[] = [
    { encoding: 'raw', bytes: utf8 },
    { encoding: 'utf-16', bytes: Buffer.from(token, 'utf16le') },
  ];
  for (const encoding of ['base64', 'base64url'] as const) {
    for (let offset = 0; offset < 3; offset++) traces.push({ encoding, bytes: Buffer.from(base64Core(utf8, offset, encoding)) });
  }
  const component = encodeURIComponent(token);
  if (component !== token) traces.push({ encoding: 'url-encoded', bytes: Buffer.from(component) });
  const everyByte = [...utf8].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  traces.push({ encoding: 'url-encoded', bytes: Buffer.from(everyByte.toUpperCase()) }, { encoding: 'url-encoded', bytes: Buffer.from(everyByte) });
  return traces;
}

/**
 * The characters every base64 encoding of data holding `bytes` at a position ≡ `offset` (mod 3)
 * contains: only the 4-character groups made of the token's bytes alone, since the groups at either
 * end mix in whatever surrounds it.
 */
function base64Core(bytes: Buffer, offset: number, encoding: 'base64' | 'base64url'): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(encoding);
  const first = offset === 0 ? 0 : 1;
  const end = Math.floor((offset + bytes.length) / 3);
  return encoded.slice(4 * first, 4 * end);
}

/** Every form of every canary found in `text`. */
export function sightingsIn(where: string, text: string | Buffer, canaries: readonly Canary[]): Sighting[] {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const found: Sighting[] = [];
  for (const canary of canaries) {
    for (const trace of tracesOf(canary.value)) {
      if (bytes.includes(trace.bytes)) found.push({ where, label: canary.label, encoding: trace.encoding });
    }
  }
  return found;
}

/** Every form of every canary in every regular file under `roots`, except under `exclude`. */
export async function sightingsInFiles(roots: readonly string[], canaries: readonly Canary[], exclude: readonly string[] = []): Promise<Sighting[]> {
  const skipped = (file: string) => exclude.some((dir) => file === dir || file.startsWith(dir + path.sep));
  const found: Sighting[] = [];
  for (const root of roots) {
    for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      if (skipped(file)) continue;
      found.push(...sightingsIn(file, await readFile(file), canaries));
    }
  }
  return found;
}

/** How many regular files `sightingsInFiles` would read: proof the search looked at something. */
export async function countFiles(roots: readonly string[], exclude: readonly string[] = []): Promise<number> {
  let count = 0;
  for (const root of roots) {
    for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (entry.isFile() && !exclude.some((dir) => file === dir || file.startsWith(dir + path.sep))) count++;
    }
  }
  return count;
}

/** One line per sighting, for an assertion message. */
export function describeSightings(sightings: readonly Sighting[]): string {
  return sightings.map((s) => `${s.label} (${s.encoding}) in ${s.where}`).join('\n');
}
