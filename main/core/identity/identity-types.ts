// What the identity session offers its callers (the broker, the upstream auth modes, the hosts).
import type { Opener } from '../ports/opener.js';
import type { SecretStoreStatus } from '../ports/secret-store.js';

export interface IdentityStatus {
  readonly issuer: string;
  readonly signedIn: boolean;
  readonly subject?: string;
  readonly name?: string;
  readonly email?: string;
  readonly roles: readonly string[];
  /** Epoch ms; of the access token this process holds, or the last one any process obtained. */
  readonly accessTokenExpiresAt?: number;
  /** Epoch ms. */
  readonly idTokenExpiresAt?: number;
  /** Epoch ms; set while the IdP is unreachable: no new attempt before then. */
  readonly idpRetryAt?: number;
  /** Where the sign-in is kept: the keychain, or memory only (with the reason). */
  readonly secrets: SecretStoreStatus;
}

export interface SignInOptions {
  /** Shows the authorization URL to the user: the system browser, or a printed line (--no-browser). */
  readonly opener: Opener;
  readonly signal?: AbortSignal;
  /** How long to wait for the browser to come back. Default 5 minutes. */
  readonly timeoutMs?: number;
}

export interface SignOutResult {
  readonly wasSignedIn: boolean;
  /** True when the IdP confirmed the revocation of the refresh token. */
  readonly revokedAtIdp: boolean;
  /** Why the IdP was not told, when it was not; the local sign-in is removed either way. */
  readonly problem?: string;
}

/** A token endpoint answer as callers see it: never with the refresh token, which stays inside.
 *  `token_type` is lower-cased by openid-client (`bearer`, `n_a`). */
export interface GrantResponse {
  readonly access_token: string;
  readonly token_type: string;
  /** Seconds. */
  readonly expires_in?: number;
  readonly scope?: string;
  readonly id_token?: string;
  /** RFC 8693 answers. */
  readonly issued_token_type?: string;
  readonly [parameter: string]: unknown;
}

/** RFC 8693 token exchange at the IdP, with one of the signed-in user's own tokens as subject. */
export interface TokenExchangeRequest {
  readonly subjectTokenType: 'access_token' | 'id_token';
  /** e.g. urn:ietf:params:oauth:token-type:id-jag; absent: the IdP's default (an access token). */
  readonly requestedTokenType?: string;
  readonly audience?: string;
  readonly resource?: string;
  readonly scope?: string;
  readonly extraParams?: Readonly<Record<string, string>>;
}

export type RolesListener = (roles: readonly string[], previous: readonly string[]) => void;
