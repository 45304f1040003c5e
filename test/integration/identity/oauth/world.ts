// Starts the fixture authorization server and MCP servers a test needs, wires an
// OAuthUpstreamCredentials to them with test ports, and stops everything afterwards.
import { Agent, type Dispatcher } from 'undici';
import type { LookupAll } from '../../../../main/core/net/safe-lookup.js';
import type { OAuthUpstreamConfig } from '../../../../main/core/identity/oauth/oauth-config.js';
import { OAuthUpstreamCredentials } from '../../../../main/core/identity/oauth/oauth-upstream-credentials.js';
import type { Clock } from '../../../../main/core/ports/clock.js';
import type { Logger } from '../../../../main/core/ports/logger.js';
import type { Opener } from '../../../../main/core/ports/opener.js';
import type { SecretStore } from '../../../../main/core/ports/secret-store.js';
import { startAuthorizationServer, type AuthorizationServerOptions, type FixtureAuthorizationServer } from '../../../fixtures/oauth/authorization-server.js';
import { HttpConsentOpener } from '../../../fixtures/oauth/http-consent.js';
import { MemorySecrets } from '../../../fixtures/oauth/memory-secrets.js';
import { ADMIN_SCOPE, READ_SCOPE, startProtectedMcpServer, type ProtectedMcpOptions, type ProtectedMcpServer } from '../../../fixtures/oauth/protected-mcp-server.js';
import { RecordingLogger } from '../../../fixtures/oauth/recording-logger.js';
import { ShiftedClock } from '../../../fixtures/oauth/shifted-clock.js';

export interface WorldOptions {
  as?: AuthorizationServerOptions;
  /** One entry per MCP server; issuer and JWKS are filled in. */
  servers?: Array<Partial<ProtectedMcpOptions>>;
}

export interface CredentialsOverrides {
  serverId?: string;
  config?: Partial<OAuthUpstreamConfig>;
  secrets?: SecretStore;
  opener?: Opener;
  clock?: Clock;
  logger?: Logger;
  consentTimeoutMs?: number;
  dispatcher?: Dispatcher;
  lookup?: LookupAll;
}

export class World {
  readonly agent = new Agent();
  readonly secrets = new MemorySecrets();
  readonly opener = new HttpConsentOpener();
  readonly clock = new ShiftedClock();
  readonly logger = new RecordingLogger();
  private readonly made: OAuthUpstreamCredentials[] = [];

  private constructor(readonly as: FixtureAuthorizationServer, readonly servers: ProtectedMcpServer[]) {}

  static async start(options: WorldOptions = {}): Promise<World> {
    const as = await startAuthorizationServer(options.as);
    const servers: ProtectedMcpServer[] = [];
    for (const server of options.servers ?? [{}]) {
      const started = await startProtectedMcpServer({ issuer: as.issuer, jwksUri: as.jwksUri, ...server });
      as.addResource(started.url, [READ_SCOPE, ADMIN_SCOPE]);
      servers.push(started);
    }
    return new World(as, servers);
  }

  get server(): ProtectedMcpServer {
    return this.servers[0]!;
  }

  credentials(server: ProtectedMcpServer = this.server, overrides: CredentialsOverrides = {}): OAuthUpstreamCredentials {
    const credentials = new OAuthUpstreamCredentials({
      serverId: overrides.serverId ?? `server-${this.servers.indexOf(server)}`,
      serverUrl: server.url,
      config: { allowLoopbackHttp: true, ...overrides.config },
      secrets: overrides.secrets ?? this.secrets,
      opener: overrides.opener ?? this.opener,
      clock: overrides.clock ?? this.clock,
      logger: overrides.logger ?? this.logger,
      dispatcher: overrides.dispatcher ?? this.agent,
      lookup: overrides.lookup,
      consentTimeoutMs: overrides.consentTimeoutMs ?? 10_000,
    });
    this.made.push(credentials);
    return credentials;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.made.map((c) => c.close()));
    await this.opener.settled();
    await Promise.allSettled([...this.servers.map((s) => s.close()), this.as.close()]);
    await this.agent.close();
  }
}

/** The claims of a JWT, unverified: tests look at what the servers were sent. */
export function claimsOf(authorization: string | undefined): Record<string, unknown> {
  const token = authorization?.replace(/^Bearer /, '') ?? '';
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
