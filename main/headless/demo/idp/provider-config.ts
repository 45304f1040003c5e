// The oidc-provider configuration of the demo IdP: one public native client for Gatehouse, PKCE,
// rotating refresh tokens, the `groups` claim in ID tokens, revocation, and RFC 8707 resources.
import { randomBytes } from 'node:crypto';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { SigningKey } from './keys.js';
import type { MemoryStore } from './memory-adapter.js';
import { errorPage } from './pages.js';
import { resourceServerInfo, type ResourcePolicy } from './resources.js';
import { TOKEN_EXCHANGE_GRANT } from './token-exchange.js';
import type { UserDirectory } from './users.js';

export const DEMO_CLIENT_ID = 'gatehouse-desktop';

export interface TokenLifetimes {
  readonly accessTokenSeconds: number;
  readonly idTokenSeconds: number;
  readonly refreshTokenSeconds: number;
}

export interface ProviderConfigDeps {
  readonly store: MemoryStore;
  readonly users: UserDirectory;
  readonly key: SigningKey;
  readonly resources: ResourcePolicy;
  readonly ttl: TokenLifetimes;
  readonly rotateRefreshTokens: boolean;
}

interface TokenLike {
  accountId?: string;
  resourceServer?: unknown;
}

export function providerConfiguration(deps: ProviderConfigDeps): Record<string, unknown> {
  const { users, resources, ttl } = deps;
  return {
    adapter: (model: string) => deps.store.adapterFor(model),
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_name: 'Gatehouse',
        // A native app: oidc-provider then accepts any port on a loopback redirect URI (RFC 8252 §7.3).
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE_GRANT],
      },
    ],
    async findAccount(_ctx: unknown, sub: string) {
      if (users.find(sub) === undefined) return undefined;
      return {
        accountId: sub,
        // Read at each issuance, so a change of groups shows in the next token.
        claims: () => {
          const user = users.find(sub)!;
          return { sub, name: user.name, email: user.email, email_verified: true, groups: [...user.groups] };
        },
      };
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { openid: ['sub', 'groups'], profile: ['name'], email: ['email', 'email_verified'] },
    // Put the scope's claims in the ID token itself, where Gatehouse reads roles from.
    conformIdTokenClaims: false,
    jwks: { keys: [deps.key.privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        // An authorization request naming no resource is granted every allowed one, so a refresh
        // grant may later ask for a token for any of them (RFC 8707 binds resources at grant time).
        defaultResource: (ctx: KoaContextWithOIDC, _client: unknown, oneOf?: string[]) =>
          oneOf !== undefined ? undefined : ctx.oidc.route === 'authorization' && resources.allowed.length > 0 ? [...resources.allowed] : undefined,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx: unknown, resource: string) => resourceServerInfo(resources, resource),
      },
    },
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    // Called before the presented refresh token is spent. oidc-provider checks the requested resource
    // only after rotating, so a refused resource would otherwise burn the user's refresh token.
    rotateRefreshToken: (ctx: KoaContextWithOIDC) => {
      const resource = ctx.oidc.params?.['resource'];
      const token = ctx.oidc.entities['RefreshToken'] as { resourceIndicators: Set<string> } | undefined;
      if (typeof resource === 'string' && (!resources.allowed.includes(resource) || token?.resourceIndicators.has(resource) !== true)) {
        throw new errors.InvalidTarget(`the demo IdP does not issue tokens for ${resource} with this sign-in`);
      }
      return deps.rotateRefreshTokens;
    },
    extraTokenClaims: (_ctx: unknown, token: TokenLike) => {
      // JWT access tokens for a resource carry the user's groups, as an enterprise IdP's would.
      if (token.resourceServer === undefined || token.accountId === undefined) return undefined;
      const user = users.find(token.accountId);
      return user === undefined ? undefined : { groups: [...user.groups] };
    },
    ttl: {
      AccessToken: (_ctx: unknown, token: TokenLike) => (token.resourceServer !== undefined ? resources.accessTokenTtlSeconds : ttl.accessTokenSeconds),
      AuthorizationCode: 60,
      IdToken: ttl.idTokenSeconds,
      RefreshToken: ttl.refreshTokenSeconds,
      Grant: ttl.refreshTokenSeconds,
      Session: ttl.refreshTokenSeconds,
      Interaction: 600,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    clientBasedCORS: () => false,
    renderError(ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }) {
      ctx.type = 'html';
      ctx.body = errorPage('Sign-in error', [out.error, out.error_description].filter(Boolean).join(': '));
    },
  };
}
