// Local client tokens: what an IDE presents to the broker on 127.0.0.1. They carry 256 random
// bits, so a plain SHA-256 is enough to store them (no salt or slow hash: there is nothing to
// brute-force), and the broker compares hashes so it never needs the token in clear.
import { createHash, randomBytes } from 'node:crypto';

export const CLIENT_TOKEN_PREFIX = 'gh_';

// 32 bytes in base64url without padding are exactly 43 characters.
const TOKEN_PATTERN = /^gh_[A-Za-z0-9_-]{43}$/;

export function generateClientToken(): string {
  return CLIENT_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** True for a string shaped like a Gatehouse client token. Never throws, whatever it is given. */
export function isWellFormedClientToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/** SHA-256 of the token as 32 bytes. */
export function hashClientToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * What may be shown of a token: its prefix and last four characters ("gh_…x7Qa"), enough for a user
 * to match a config entry to a rotation, far too little to use.
 */
export function maskClientToken(token: string): string {
  return `${CLIENT_TOKEN_PREFIX}…${token.length >= 8 ? token.slice(-4) : ''}`;
}
