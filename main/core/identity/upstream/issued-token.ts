// Reads a token endpoint's answer into what the cache needs, and refuses answers that must not be
// sent upstream: a token that is not a plain bearer token, and an IdP token whose audience is some
// other service (an IdP that ignores RFC 8707 `resource` answers with the user's general token,
// which the MCP server could then replay elsewhere).
import { decodeJwt, type JWTPayload } from 'jose';
import { GatehouseError } from '../../../../common/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { IssuedToken } from './cached-credentials.js';

export interface TokenAnswer {
  readonly access_token: string;
  readonly token_type?: string;
  readonly expires_in?: number;
}

/**
 * `from` names who issued it (`the IdP`, `the authorization server https://as.example.com`).
 * DPoP-bound tokens are refused: these modes send bearer tokens only.
 */
export function issuedToken(answer: TokenAnswer, clock: Clock, serverId: string, from: string): IssuedToken {
  if (typeof answer.access_token !== 'string' || answer.access_token === '') {
    throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `${from} answered without an access token for server '${serverId}'; ask your IT admin to check this server's auth settings`);
  }
  const type = (answer.token_type ?? 'bearer').toLowerCase();
  if (type === 'dpop') {
    throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `${from} issued a DPoP-bound token for server '${serverId}', which Gatehouse does not support for this auth mode; ask your IT admin to issue bearer tokens for it`);
  }
  if (type !== 'bearer') {
    throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `${from} issued a token of type '${answer.token_type}' for server '${serverId}'; Gatehouse sends only bearer tokens (ask your IT admin to check this server's auth settings)`);
  }
  return { accessToken: answer.access_token, expiresAt: expiresAt(answer, clock) };
}

/** From expires_in when given (it does not depend on clocks agreeing); else from a JWT's `exp`. */
function expiresAt(answer: TokenAnswer, clock: Clock): number | undefined {
  if (typeof answer.expires_in === 'number' && Number.isFinite(answer.expires_in) && answer.expires_in > 0) {
    return clock.now() + answer.expires_in * 1000;
  }
  const exp = claimsOf(answer.access_token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

/**
 * Refuses a JWT whose `aud` names none of `expected`. Opaque tokens cannot be checked here; the
 * server checks those itself.
 */
export function checkAudience(token: IssuedToken, expected: readonly string[], serverId: string, from: string): void {
  const aud = claimsOf(token.accessToken)?.aud;
  if (aud === undefined) return;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (audiences.some((a) => expected.includes(a))) return;
  throw new GatehouseError(
    'GATEHOUSE_UPSTREAM_AUTH_FAILED',
    `${from} issued a token for ${audiences.join(', ')} instead of ${expected.join(' or ')}, so Gatehouse will not send it to server '${serverId}'; ask your IT admin to have the IdP honour the requested resource/audience for this server`,
  );
}

/** The claims of a JWS-shaped token, read without verifying it (the server verifies). */
export function claimsOf(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}
