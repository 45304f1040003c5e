// Everything a per-server token test needs, started on 127.0.0.1 port 0 and stopped together: the
// demo IdP with `dev` signed in, protected MCP servers (one per entry, each trusting the IdP or the
// id-jag authorization server), that authorization server when a server uses id-jag, and a real
// broker whose credentials come from credentialsFor. Clients connected through connect() record
// every byte they receive, so a test can look for tokens in them.
import { Client, StreamableHTTPClientTransport, type FetchLike } from '@modelcontextprotocol/client';
import { Agent } from 'undici';
import { credentialsFor, type UpstreamCredentialsDeps } from '../../../../main/core/identity/upstream/credentials-for.js';
import type { ServerPolicy } from '../../../../main/core/policy/schema.js';
import type { Logger, LogLevel } from '../../../../main/core/ports/logger.js';
import type { DemoIdpOptions } from '../../../../main/headless/demo/idp/index.js';
import { DEFAULT_AS_CLIENT_ID, startIdJagAuthorizationServer, type IdJagAuthorizationServer, type IdJagAuthorizationServerOptions } from '../../../fixtures/protected/id-jag-authorization-server.js';
import { startProtectedServer, type ProtectedServer } from '../../../fixtures/protected/protected-server.js';
import { startBroker, TEST_TOKEN, type Harness } from '../../helpers/broker-harness.js';
import { startIdentityHarness, type IdentityHarness } from '../harness.js';

export type IdentityMode = 'idp-audience' | 'token-exchange' | 'id-jag';

export interface WorldServer {
  id: string;
  mode: IdentityMode;
  /** Extra auth settings (audience, resource, scopes, clientId...). */
  auth?: Record<string, unknown>;
  /** The `aud` the server accepts; default its own URL. */
  audience?: string;
}

export interface WorldOptions {
  servers: WorldServer[];
  idp?: Partial<DemoIdpOptions>;
  as?: IdJagAuthorizationServerOptions;
  /** Resources the IdP issues tokens for; default every server URL. */
  idpResources?: (urls: Record<string, string>) => string[];
  leewayMs?: number;
}

export const SCOPE = 'x.use';

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    this.lines.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`);
  }
}

/** A real MCP client whose every received byte (headers and bodies, streams included) is kept. */
export interface RecordingClient {
  client: Client;
  /** Everything received so far; call after close() to include streams that were still open. */
  received(): Promise<string>;
  close(): Promise<void>;
}

export class World {
  readonly logger = new RecordingLogger();
  readonly agent = new Agent();
  /** Roles as the identity session last reported them; `override` wins when set. */
  roles: readonly string[] | undefined;
  rolesOverride: readonly string[] | undefined;
  readonly clients: RecordingClient[] = [];
  readonly deps: UpstreamCredentialsDeps;
  /** Set once started; the broker needs the world's role source and credentials first. */
  broker!: Harness;

  private constructor(
    readonly id: IdentityHarness,
    readonly servers: Record<string, ProtectedServer>,
    readonly as: IdJagAuthorizationServer | undefined,
    leewayMs: number | undefined,
  ) {
    this.deps = { identity: id.session, dispatcher: this.agent, clock: id.clock, logger: this.logger, allowLoopbackHttp: true, leewayMs };
  }

  static async start(options: WorldOptions): Promise<World> {
    const started: Array<{ close(): Promise<void> }> = [];
    try {
      const servers: Record<string, ProtectedServer> = {};
      for (const s of options.servers) {
        servers[s.id] = await startProtectedServer({ name: s.id, audience: s.audience });
        started.push(servers[s.id]!);
      }
      const needsAs = options.servers.some((s) => s.mode === 'id-jag');
      const as = needsAs ? await startIdJagAuthorizationServer(options.as) : undefined;
      if (as) started.push(as);
      const urls = Object.fromEntries(Object.entries(servers).map(([id, s]) => [id, s.url]));
      const id = await startIdentityHarness({
        idp: {
          resources: options.idpResources ? options.idpResources(urls) : Object.values(urls),
          ...(as ? { idJagAudiences: { [as.issuer]: DEFAULT_AS_CLIENT_ID } } : {}),
          ...options.idp,
        },
      });
      started.push({ close: () => id.stop() });
      const idpTrust = { issuer: id.idp.issuer, jwksUri: `${id.idp.issuer}/jwks` };
      as?.trust(idpTrust);
      for (const s of options.servers) servers[s.id]!.trust(s.mode === 'id-jag' ? { issuer: as!.issuer, jwksUri: as!.jwksUri } : idpTrust);
      await id.signIn('dev');

      const world = new World(id, servers, as, options.leewayMs);
      started.push(world.agent);
      world.roles = (await id.session.status()).roles;
      id.session.onRolesChanged((roles) => (world.roles = roles));
      const policyServers = options.servers.map((s) => ({
        id: s.id,
        url: servers[s.id]!.url,
        auth: { mode: s.mode, ...(s.mode === 'id-jag' ? { authorizationServer: as!.issuer, clientId: DEFAULT_AS_CLIENT_ID } : {}), ...s.auth },
        tools: [{ match: '*', scope: SCOPE }],
      }));
      world.broker = await startBroker(
        policyServers,
        { identity: { issuer: id.idp.issuer, clientId: id.idp.clientId }, roles: { developer: [SCOPE], sre: [SCOPE] } },
        { roles: { roles: () => world.rolesOverride ?? world.roles }, credentials: (server: ServerPolicy) => credentialsFor(server, world.deps) },
      );
      return world;
    } catch (error) {
      await Promise.allSettled(started.reverse().map((s) => s.close()));
      throw error;
    }
  }

  get idp() {
    return this.id.idp;
  }

  server(id: string): ProtectedServer {
    return this.servers[id]!;
  }

  /** Connects a real MCP client to the broker's aggregate endpoint with the harness client token. */
  async connect(): Promise<RecordingClient> {
    const parts: Array<Promise<string>> = [];
    const recording: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
      parts.push(response.clone().text().then((body) => `${response.status}\n${headers}\n\n${body}`, () => headers));
      return response;
    };
    const client = new Client({ name: 'upstream-token-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${this.broker.port}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${TEST_TOKEN}` } },
      fetch: recording,
    });
    await client.connect(transport);
    const recorded: RecordingClient = {
      client,
      received: async () => (await Promise.all(parts)).join('\n----\n'),
      close: () => client.close().catch(() => undefined),
    };
    this.clients.push(recorded);
    return recorded;
  }

  /** Calls `<server>__whoami` and returns what the server said about the token it got. */
  async whoami(client: RecordingClient, serverId: string): Promise<{ server: string; sub: string; aud: string | string[]; iss: string; groups?: string[] }> {
    const result = await client.client.callTool({ name: `${serverId}__whoami`, arguments: {} });
    if (result.isError) throw new Error(`whoami failed: ${JSON.stringify(result.content)}`);
    const [first] = result.content as Array<{ type: string; text: string }>;
    return JSON.parse(first!.text) as { server: string; sub: string; aud: string | string[]; iss: string; groups?: string[] };
  }

  /** Every token an upstream received, the ID-JAGs the authorization server was given, and its own tokens. */
  upstreamSecrets(): string[] {
    const secrets = new Set<string>();
    for (const server of Object.values(this.servers)) for (const token of server.tokensSeen()) secrets.add(token);
    for (const request of this.as?.tokenRequests ?? []) {
      if (request.params['assertion']) secrets.add(request.params['assertion']);
      if (request.issued) secrets.add(request.issued);
    }
    return [...secrets];
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.close()));
    await this.broker.stop();
    await Promise.allSettled([...Object.values(this.servers).map((s) => s.close()), this.as?.close(), this.id.stop(), this.agent.close()]);
  }
}
