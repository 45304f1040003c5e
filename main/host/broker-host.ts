// Starts the broker core for a host (`serve`, `demo`, the desktop app): the registered clients, the signed-in
// user and their roles, a token source for every server as its auth.mode says, and the endpoint file.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { GatehouseError } from '../../common/errors.js';
import { GATEHOUSE_VERSION } from '../../common/version.js';
import { Broker } from '../core/broker.js';
import { ClientRegistry } from '../core/clients/registry.js';
import { ENDPOINT_FILE_NAME, writeEndpointFile } from '../core/data-dir.js';
import type { IdentitySession } from '../core/identity/identity-session.js';
import { watchIdentity } from '../core/identity/identity-watch.js';
import { OAuthUpstreamCredentials } from '../core/identity/oauth/oauth-upstream-credentials.js';
import { credentialsFor } from '../core/identity/upstream/credentials-for.js';
import type { UpstreamCredentials } from '../core/identity/upstream-credentials.js';
import type { Policy, ServerPolicy } from '../core/policy/schema.js';
import { isLoopbackHostname } from '../core/policy/server-url.js';
import { systemClock } from '../core/ports/clock.js';
import type { Opener } from '../core/ports/opener.js';
import type { Prompter } from '../core/ports/prompter.js';
import type { SecretStore } from '../core/ports/secret-store.js';
import type { ToolPinning } from '../core/guard/pinning/tool-pinning.js';
import type { Context } from './context.js';
import { systemBrowser } from './system-browser.js';
import { toolPinningFor, type Notify } from './tool-pinning-host.js';
import type { AuditRecorder } from '../core/audit/audit-recorder.js';
import { canonicalJson, sha256Hex } from '../core/guard/pinning/tool-hash.js';

export interface BrokerIdentity {
  /** The signed-in user, when policy has an identity section. */
  session?: IdentitySession;
  /** Where the oauth mode keeps the user's tokens for servers outside the IdP. */
  secrets?: SecretStore;
  /** Shows the consent page of an oauth server. */
  opener?: Opener;
  /** Tests and the demo only: IdPs and authorization servers on plain-http loopback. */
  insecureDev?: boolean;
  /** Who answers approval prompts; by default nobody (denied). */
  prompter?: Prompter;
  /** Where notices for the user go besides the log (quarantined tools). */
  notify?: Notify;
  /** The audit trail: every call, decision and tool change is recorded in it. */
  audit?: AuditRecorder;
  /** Where the policy came from, for the audit trail. */
  policySource?: string;
}

export interface RunningBroker {
  broker: Broker;
  url: string;
  dataDir: string;
  /** The registered IDEs (the dashboard lists them; its settings view adds one). */
  clients: ClientRegistry;
  /** The tool pins: each server's tools as last reviewed, for the dashboard. */
  pinning: ToolPinning;
  stop(): Promise<void>;
}

/** Starts a broker and publishes its endpoint; shared by `serve` and `demo`. */
export async function startBroker(ctx: Context, policy: Policy, dataDir: string, port: number | undefined, identity: BrokerIdentity = {}): Promise<RunningBroker> {
  const registry = new ClientRegistry({ dataDir, logger: ctx.logger });
  const { session } = identity;
  // Token requests (id-jag authorization servers, oauth discovery) get their own pool, apart from MCP traffic.
  const authDispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const credentials = (server: ServerPolicy) =>
    credentialsFor(server, {
      identity: session,
      dispatcher: authDispatcher,
      clock: systemClock,
      logger: ctx.logger,
      allowLoopbackHttp: identity.insecureDev === true || isLoopbackHttp(server.url),
      oauth: (s) => oauthCredentials(ctx, s, identity, authDispatcher),
    });
  const pinning = toolPinningFor(ctx, policy, dataDir, identity.notify, identity.audit);
  const broker = new Broker({
    policy,
    clients: registry,
    logger: ctx.logger,
    version: GATEHOUSE_VERSION,
    ...(port !== undefined ? { port } : {}),
    ...(session ? { roles: { roles: () => session.currentRoles(), subject: () => session.currentSubject() } } : {}),
    credentials,
    ...(identity.prompter ? { prompter: identity.prompter } : {}),
    pinning,
    allowLoopbackHttp: identity.insecureDev === true,
    ...(identity.audit ? { audit: identity.audit } : {}),
  });
  void identity.audit?.record({
    type: 'policy.loaded',
    decision: 'recorded',
    user: session?.currentSubject(),
    details: { source: identity.policySource ?? 'embedded', version: policy.version, servers: policy.servers.map((s) => s.id), sha256: sha256Hex(canonicalJson(policy)), gatehouse: GATEHOUSE_VERSION },
  });
  // The stored sign-in is loaded before the first client connects, so its tools are there at once.
  await session?.status();
  const watch = session && watchIdentity(session, () => broker.identityChanged(), { clock: systemClock, logger: ctx.logger });
  const bound = await broker.start();
  await writeEndpointFile(dataDir, { port: bound, pid: process.pid, url: broker.url });
  return {
    broker,
    url: broker.url,
    dataDir,
    clients: registry,
    pinning,
    async stop() {
      watch?.stop();
      await broker.stop();
      await authDispatcher.close();
      await rm(path.join(dataDir, ENDPOINT_FILE_NAME), { force: true });
    },
  };
}

function isLoopbackHttp(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && isLoopbackHostname(parsed.hostname);
}

function oauthCredentials(ctx: Context, server: ServerPolicy, identity: BrokerIdentity, dispatcher: Dispatcher): UpstreamCredentials {
  const { secrets, opener } = identity;
  if (server.auth.mode !== 'oauth' || secrets === undefined || opener === undefined) {
    throw new GatehouseError('GATEHOUSE_INTERNAL', `server '${server.id}' uses auth mode "oauth", which needs a secret store and a browser`);
  }
  const { clientId, clientMetadataUrl, scopes, allowPrivateHosts } = server.auth;
  return new OAuthUpstreamCredentials({
    serverId: server.id,
    serverUrl: server.url,
    config: {
      ...(clientId !== undefined ? { clientId } : {}),
      ...(clientMetadataUrl !== undefined ? { clientMetadataUrl } : {}),
      ...(scopes !== undefined ? { scopes } : {}),
      ...(allowPrivateHosts !== undefined ? { allowedHosts: allowPrivateHosts } : {}),
      allowLoopbackHttp: identity.insecureDev === true || isLoopbackHttp(server.url),
    },
    secrets,
    opener,
    clock: systemClock,
    logger: ctx.logger,
    dispatcher,
  });
}

/** An oauth server's consent page: the system browser, and the URL on stdout in case none opens. */
export function consentOpener(ctx: Context): Opener {
  const browser = systemBrowser(ctx.platform);
  return {
    async open(url) {
      ctx.out(`A server needs your consent; opening your browser. If it does not open, visit:\n${url.href}\n`);
      await browser.open(url).catch((error: unknown) => ctx.err(`gatehouse: could not start a browser (${(error as Error).message}); open the URL above yourself\n`));
    },
  };
}
