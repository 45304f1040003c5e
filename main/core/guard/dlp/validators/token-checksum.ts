// GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens end with a checksum: the CRC32 of
// the random part, base62-encoded and left-padded to six characters. A token that fails it was
// made up, so it is a placeholder or a typo, not a credential.
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(value: number, width: number): string {
  let out = '';
  let n = value;
  do {
    out = BASE62[n % 62]! + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

/** `token` is prefix + random + six checksum characters; `prefixLength` covers the prefix and its underscore. */
export function crc32Base62Valid(token: string, prefixLength: number): boolean {
  if (token.length < prefixLength + 7) return false;
  const random = token.slice(prefixLength, -6);
  return base62(crc32(random), 6) === token.slice(-6);
}
