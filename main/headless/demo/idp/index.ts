// The demo IdP: a real OpenID Provider (oidc-provider) on 127.0.0.1, embedded by `gatehouse demo`
// and started by tests. Users `dev` and `sre` (password = user name, see users.ts), one public native
// client `gatehouse-desktop`, PKCE, rotating refresh tokens, `groups` in the ID token, revocation,
// RFC 8707 JWT access tokens, and RFC 8693 token exchange (access tokens and ID-JAGs).
//
// Faults are real: revokeAllGrantsFor() makes the next refresh fail with invalid_grant, and
// takeOffline() closes the port until bringOnline() listens on it again with all state kept.
// It speaks plain http on loopback, so Gatehouse reaches it only with --insecure-dev-issuer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider, type KoaContextWithOIDC } from 'oidc-provider';
import { handleInteraction } from './interactions.js';
import { newSigningKey } from './keys.js';
import { MemoryStore } from './memory-adapter.js';
import { errorPage, sendHtml } from './pages.js';
import { DEMO_CLIENT_ID, providerConfiguration } from './provider-config.js';
import { registerTokenExchange } from './token-exchange.js';
import { DEMO_USERS, UserDirectory, type DemoUser } from './users.js';

export { DEMO_CLIENT_ID } from './provider-config.js';
export { DEMO_USERS, type DemoUser } from './users.js';
export { ID_JAG_TYP, TOKEN_EXCHANGE_GRANT, TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN } from './token-exchange.js';

export interface DemoIdpOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly users?: readonly DemoUser[];
  /** Lifetime of the user's own access tokens. Default 600 s. */
  readonly accessTokenTtlSeconds?: number;
  /** Default 3600 s. */
  readonly idTokenTtlSeconds?: number;
  /** Default 14 days. */
  readonly refreshTokenTtlSeconds?: number;
  /** Resources (MCP server URLs) the IdP issues audience-bound JWT access tokens for, by refresh
   *  grant with `resource` or by token exchange. Default: none. A refresh token can only be used for
   *  the resources allowed when its user signed in. */
  readonly resources?: readonly string[];
  /** Lifetime of those resource access tokens. Default 300 s. */
  readonly resourceAccessTokenTtlSeconds?: number;
  /** Authorization servers (issuer → Gatehouse's client id there) an ID-JAG may be issued for.
   *  Default: any, with `client_id` = gatehouse-desktop. */
  readonly idJagAudiences?: Readonly<Record<string, string>>;
  /** Default 300 s. */
  readonly idJagTtlSeconds?: number;
  /** Default true: each refresh returns a new refresh token and the old one stops working. */
  readonly rotateRefreshTokens?: boolean;
}

export interface DemoIdp {
  readonly issuer: string;
  readonly port: number;
  readonly clientId: string;
  readonly users: readonly DemoUser[];
  /** Changes a user's groups; they appear in tokens issued from now on. */
  setGroups(username: string, groups: readonly string[]): void;
  /** Revokes every grant (and so every refresh and access token) and session of a user, as an
   *  admin would; returns how many grants were revoked. */
  revokeAllGrantsFor(sub: string): number;
  /** How many token requests reached the IdP, of one grant type or of all. */
  tokenRequests(grantType?: string): number;
  /** How many revocation requests reached the IdP. */
  revocationRequests(): number;
  /** Every code, PKCE verifier and token that crossed its token and revocation endpoints, issued or
   *  presented, in order and without repeats: what tests look for when they prove no token leaked. */
  tokenValues(): readonly string[];
  /** Closes the port and drops open connections: clients see the IdP as unreachable. */
  takeOffline(): Promise<void>;
  /** Listens on the same port again, with every session, grant and key as before. */
  bringOnline(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoIdp(options: DemoIdpOptions = {}): Promise<DemoIdp> {
  const users = new UserDirectory(options.users ?? DEMO_USERS);
  const store = new MemoryStore();
  const key = newSigningKey();
  const resources = { allowed: [...(options.resources ?? [])], accessTokenTtlSeconds: options.resourceAccessTokenTtlSeconds ?? 300 };
  const tokenCounts = new Map<string, number>();
  const tokenValues = new Set<string>();
  const keep = (source: unknown, names: readonly string[]) => {
    if (typeof source !== 'object' || source === null) return;
    for (const name of names) {
      const value = (source as Record<string, unknown>)[name];
      if (typeof value === 'string' && value !== '') tokenValues.add(value);
    }
  };
  let revocations = 0;

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => sendHtml(res, 503, errorPage('Starting', 'The demo IdP is starting.'));
  let server = await listen(createServer((req, res) => handler(req, res)), options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(
    issuer,
    providerConfiguration({
      store,
      users,
      key,
      resources,
      rotateRefreshTokens: options.rotateRefreshTokens ?? true,
      ttl: {
        accessTokenSeconds: options.accessTokenTtlSeconds ?? 600,
        idTokenSeconds: options.idTokenTtlSeconds ?? 3600,
        refreshTokenSeconds: options.refreshTokenTtlSeconds ?? 14 * 24 * 3600,
      },
    }),
  );
  registerTokenExchange({ provider, issuer, key, users, resources, idJag: { audiences: options.idJagAudiences, ttlSeconds: options.idJagTtlSeconds ?? 300 } });
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'token') {
      const grantType = String(ctx.oidc.params?.['grant_type'] ?? '');
      tokenCounts.set(grantType, (tokenCounts.get(grantType) ?? 0) + 1);
      keep(ctx.oidc.params, ['code', 'code_verifier', 'refresh_token', 'subject_token']);
      keep(ctx.body, ['access_token', 'refresh_token', 'id_token']);
    } else if (route === 'revocation') {
      revocations++;
      keep(ctx.oidc.params, ['token']);
    }
  });
  const callback = provider.callback();
  handler = (req, res) => {
    handleInteraction(provider, users, req, res).then(
      (handled) => {
        if (!handled) callback(req, res);
      },
      () => {
        if (!res.headersSent) sendHtml(res, 500, errorPage('Error', 'the demo IdP failed'));
      },
    );
  };

  let online = true;
  let stopped = false;
  const close = async () => {
    if (!online) return;
    online = false;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  return {
    issuer,
    port,
    clientId: DEMO_CLIENT_ID,
    get users() {
      return users.list();
    },
    setGroups: (username, groups) => users.setGroups(username, groups),
    revokeAllGrantsFor: (sub) => store.revokeAllFor(sub),
    tokenRequests: (grantType) => (grantType === undefined ? [...tokenCounts.values()].reduce((a, b) => a + b, 0) : (tokenCounts.get(grantType) ?? 0)),
    revocationRequests: () => revocations,
    tokenValues: () => [...tokenValues],
    takeOffline: close,
    async bringOnline() {
      if (stopped) throw new Error('the demo IdP was stopped');
      if (online) return;
      server = await listen(createServer((req, res) => handler(req, res)), port);
      online = true;
    },
    async stop() {
      stopped = true;
      await close();
    },
  };
}

function listen(server: Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
