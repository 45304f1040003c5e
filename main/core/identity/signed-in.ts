// The signed-in user as this process holds them: tokens, the ID token's claims, roles, and when each
// token stops being fresh. Expiry is measured on the local clock from the moment a token arrived
// (expires_in, exp − iat), so a laptop clock that differs from the IdP's does not shorten or stretch it.
import { decodeJwt } from 'jose';
import type { Logger } from '../ports/logger.js';
import { rolesFromClaims } from './role-claim.js';
import type { StoredSession } from './stored-session.js';

/** Used when the IdP leaves out expires_in. */
const DEFAULT_ACCESS_TOKEN_SECONDS = 300;

export interface SignedIn {
  readonly refreshToken: string;
  readonly idToken: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly subject: string;
  readonly roles: readonly string[];
  readonly idTokenExpiresAt: number;
  /** Refresh for a new ID token from this moment on. */
  readonly idTokenFreshUntil: number;
  /** The IdP access token; only in the process that obtained it. */
  readonly access?: { readonly token: string; readonly expiresAt: number; readonly freshUntil: number };
  /** Of the last access token any process obtained (from the store), for status. */
  readonly accessTokenExpiresAt?: number;
}

export interface Freshness {
  readonly now: number;
  /** How long before expiry a token is renewed. */
  readonly leewayMs: number;
}

export function signedInFromStore(stored: StoredSession, roleClaim: string, fresh: Freshness, logger: Logger): SignedIn | undefined {
  const claims = claimsOf(stored.idToken);
  if (claims === undefined || typeof claims['sub'] !== 'string') return undefined;
  return {
    refreshToken: stored.refreshToken,
    idToken: stored.idToken,
    claims,
    subject: claims['sub'],
    roles: rolesFromClaims(claims, roleClaim, logger),
    idTokenExpiresAt: stored.idTokenExpiresAt,
    idTokenFreshUntil: stored.idTokenExpiresAt - fresh.leewayMs,
    accessTokenExpiresAt: stored.accessTokenExpiresAt,
  };
}

export interface Issued {
  readonly refreshToken: string;
  readonly idToken?: string | undefined;
  /** Validated claims of idToken, from openid-client. */
  readonly idTokenClaims?: Readonly<Record<string, unknown>> | undefined;
  /** The user's own access token; absent for tokens meant for a resource. */
  readonly accessToken?: { readonly token: string; readonly expiresIn: number | undefined } | undefined;
}

/** The state after the IdP issued tokens; `previous` supplies what the answer left out. */
export function signedInAfter(previous: SignedIn | undefined, issued: Issued, roleClaim: string, fresh: Freshness, logger: Logger): SignedIn {
  let { idToken, claims, idTokenExpiresAt, idTokenFreshUntil } = previous ?? ({} as Partial<SignedIn>);
  if (issued.idToken !== undefined && issued.idTokenClaims !== undefined) {
    idToken = issued.idToken;
    claims = issued.idTokenClaims;
    const lifetime = lifetimeMs(claims);
    idTokenExpiresAt = fresh.now + lifetime;
    idTokenFreshUntil = fresh.now + lifetime - Math.min(fresh.leewayMs, lifetime / 2);
  }
  if (idToken === undefined || claims === undefined || typeof claims['sub'] !== 'string') throw new Error('the IdP returned no ID token');
  let access = previous?.access;
  if (issued.accessToken !== undefined) {
    const lifetime = (issued.accessToken.expiresIn ?? DEFAULT_ACCESS_TOKEN_SECONDS) * 1000;
    access = { token: issued.accessToken.token, expiresAt: fresh.now + lifetime, freshUntil: fresh.now + lifetime - Math.min(fresh.leewayMs, lifetime / 2) };
  }
  return {
    refreshToken: issued.refreshToken,
    idToken,
    claims,
    subject: claims['sub'],
    roles: rolesFromClaims(claims, roleClaim, logger),
    idTokenExpiresAt: idTokenExpiresAt!,
    idTokenFreshUntil: idTokenFreshUntil!,
    access,
    accessTokenExpiresAt: access?.expiresAt ?? previous?.accessTokenExpiresAt,
  };
}

export function toStored(state: SignedIn, now: number): StoredSession {
  return {
    refreshToken: state.refreshToken,
    idToken: state.idToken,
    idTokenExpiresAt: state.idTokenExpiresAt,
    ...(state.accessTokenExpiresAt !== undefined ? { accessTokenExpiresAt: state.accessTokenExpiresAt } : {}),
    updatedAt: now,
  };
}

function lifetimeMs(claims: Readonly<Record<string, unknown>>): number {
  const { exp, iat } = claims;
  return typeof exp === 'number' && typeof iat === 'number' && exp > iat ? (exp - iat) * 1000 : 0;
}

function claimsOf(idToken: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(idToken);
  } catch {
    return undefined;
  }
}
