// How a secret is laid out in keychain entries. Windows Credential Manager stores a password as
// UTF-16 and refuses a blob over 2560 bytes (1280 UTF-16 code units), while an OAuth token set is
// easily several KB. So a long secret is cut into chunk entries `account#1..n`, and the entry
// `account` holds a manifest. The same limit applies on every OS so that Linux CI exercises the
// path Windows depends on.
import { createHash } from 'node:crypto';

/** UTF-16 code units per entry: under Windows' 1280, with room for the tag. */
export const DEFAULT_CHUNK_UNITS = 1024;

// Every head entry starts with a tag, so a secret can never be mistaken for a manifest.
const INLINE_TAG = 'gh1=';
const MANIFEST_TAG = 'gh1#';

export interface Manifest {
  readonly chunks: number;
  /** SHA-256 of the whole secret: a torn write (crash or a concurrent writer) must not read as a token. */
  readonly sha256: string;
}

export type Head = { readonly kind: 'inline'; readonly value: string } | { readonly kind: 'chunked'; readonly manifest: Manifest };

export type Layout = { readonly head: string; readonly chunks: readonly string[] };

export function chunkAccount(account: string, index: number): string {
  return `${account}#${index}`;
}

export function digestOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** The head entry and the chunk entries (possibly none) that store `secret`. */
export function layOut(secret: string, chunkUnits = DEFAULT_CHUNK_UNITS): Layout {
  const inline = INLINE_TAG + secret;
  if (inline.length <= chunkUnits) return { head: inline, chunks: [] };
  const chunks = splitAtCodePoints(secret, chunkUnits);
  const manifest: Manifest = { chunks: chunks.length, sha256: digestOf(secret) };
  return { head: MANIFEST_TAG + JSON.stringify(manifest), chunks };
}

/** Reads a head entry; undefined when it is a manifest that cannot be understood. */
export function readHead(stored: string): Head | undefined {
  if (stored.startsWith(INLINE_TAG)) return { kind: 'inline', value: stored.slice(INLINE_TAG.length) };
  if (!stored.startsWith(MANIFEST_TAG)) {
    // Not written by this layout (e.g. by hand with secret-tool): the whole entry is the secret.
    return { kind: 'inline', value: stored };
  }
  try {
    const parsed: unknown = JSON.parse(stored.slice(MANIFEST_TAG.length));
    if (isManifest(parsed)) return { kind: 'chunked', manifest: parsed };
  } catch {
    // falls through: an unreadable manifest
  }
  return undefined;
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const { chunks, sha256 } = value as Record<string, unknown>;
  return Number.isSafeInteger(chunks) && (chunks as number) > 0 && typeof sha256 === 'string';
}

/**
 * Cuts at code point boundaries: a lone surrogate does not survive the trip through the native
 * binding (it becomes U+FFFD), so a surrogate pair must never straddle two chunks.
 */
export function splitAtCodePoints(text: string, maxUnits: number): string[] {
  if (maxUnits < 2) throw new RangeError('maxUnits must be at least 2 to hold a surrogate pair');
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + maxUnits, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
