// The `identity` section of the policy as the identity session uses it, defaults applied. The policy
// schema produces this shape; withIdentityDefaults() builds it for tests and the demo.
import { DEFAULT_ROLE_CLAIM, DEFAULT_SCOPES } from '../policy/schema.js';

export interface IdentityConfig {
  /** The OpenID Provider's issuer identifier; https (see issuer-url.ts). */
  readonly issuer: string;
  /** Gatehouse's public client at the IdP. */
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Where the roles are in the ID token: a claim name or a dot path such as `realm_access.roles`. */
  readonly roleClaim: string;
  /** Added to the authorization request (e.g. `prompt`, `login_hint`, `domain_hint`). Parameters that
   *  carry the request's security (state, nonce, PKCE, redirect_uri...) cannot be overridden. */
  readonly extraAuthParams: Readonly<Record<string, string>>;
}

export interface IdentityConfigInput {
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes?: readonly string[] | undefined;
  readonly roleClaim?: string | undefined;
  readonly extraAuthParams?: Readonly<Record<string, string>> | undefined;
}

export function withIdentityDefaults(input: IdentityConfigInput): IdentityConfig {
  const scopes = input.scopes ?? DEFAULT_SCOPES;
  return {
    issuer: input.issuer,
    clientId: input.clientId,
    // An OpenID Connect sign-in needs `openid`, whatever the admin listed.
    scopes: scopes.includes('openid') ? [...scopes] : ['openid', ...scopes],
    roleClaim: input.roleClaim ?? DEFAULT_ROLE_CLAIM,
    extraAuthParams: { ...input.extraAuthParams },
  };
}
