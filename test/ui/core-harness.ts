// The whole headless core behind the UI, for the tests that drive it in Debian's Chromium: a real
// broker on port 0 in front of real MCP servers (twin A as `alpha`, and when asked the interactive
// server as `deploy`, twin B as `beta` and a server whose tools change as `gamma`), a real audit log, tool pins and client registry in a
// temporary data dir, the prompt board the broker asks, a UiService over all of it answered by the
// real UI server (one-time link, cookie, CSP), and when asked a real demo IdP with an identity
// session signed in as `dev`. Screenshots go to test-results/screenshots/ (git-ignored), as in harness.ts.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { AuditLog } from '../../main/core/audit/audit-log.js';
import { AuditPolicySchema } from '../../main/core/audit/audit-policy.js';
import { AuditStore } from '../../main/core/audit/store/audit-store.js';
import { ClientRegistry } from '../../main/core/clients/registry.js';
import { PinStore } from '../../main/core/guard/pinning/pin-store.js';
import { ToolPinning } from '../../main/core/guard/pinning/tool-pinning.js';
import { withIdentityDefaults } from '../../main/core/identity/identity-config.js';
import { IdentitySession } from '../../main/core/identity/identity-session.js';
import { PolicySchema, type Policy, type PolicyInput } from '../../main/core/policy/schema.js';
import { systemClock } from '../../main/core/ports/clock.js';
import { silentLogger } from '../../main/core/ports/logger.js';
import { BoardPrompter } from '../../main/core/prompts/board-prompter.js';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';
import { UiService } from '../../main/core/ui/ui-service.js';
import { startDemoIdp, type DemoIdp } from '../../main/headless/demo/idp/index.js';
import { UiServer } from '../../main/headless/ui/ui-server.js';
import { launchChromium } from '../helpers/chromium.js';
import { browserlessOpener } from '../helpers/idp-login.js';
import { startChanging, type ChangingServer } from '../fixtures/servers/changing.js';
import { startInteractive } from '../fixtures/servers/interactive.js';
import { startTwin } from '../fixtures/servers/twin.js';
import type { McpHttpServer } from '../fixtures/servers/serve-http.js';
import { startBroker, type Harness } from '../integration/helpers/broker-harness.js';
import { openUiPage, SCREENSHOTS, type UiPage } from './harness.js';

export interface CoreUiOptions {
  /** Policy keys besides the servers (approvals, elicitation, pinning…). */
  policy?: Partial<PolicyInput>;
  /** Also the interactive server, as `deploy` (Deployments). */
  interactive?: boolean;
  /** Also twin B, as `beta` (Beta catalogue). */
  beta?: boolean;
  /** Also a server whose tools the test changes, as `gamma` (Gamma notes). */
  changing?: boolean;
  /** A demo IdP and an identity session, signed in as `dev` (Dana Developer). */
  identity?: boolean;
  /** Writes events straight into the audit store before the broker opens it. */
  seed?: (store: AuditStore) => void;
}

export interface CoreUi {
  dir: string;
  home: string;
  policy: Policy;
  broker: Harness;
  board: BoardPrompter;
  log: AuditLog;
  service: UiService;
  server: UiServer;
  browser: Browser;
  idp: DemoIdp | undefined;
  /** The `gamma` server, when asked for. */
  changing: ChangingServer | undefined;
  session: IdentitySession | undefined;
  /** Sign-ins started from the UI (each completes at the IdP as `dev`, without a browser). */
  signIns: Array<Promise<unknown>>;
  /** A fresh browser context signed in to the UI through a one-time link, on `view`. */
  openPage(options?: { view?: string; colorScheme?: 'light' | 'dark' }): Promise<UiPage>;
  stop(): Promise<void>;
}

export async function startCoreUi(options: CoreUiOptions = {}): Promise<CoreUi> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-ui-core-'));
  const home = path.join(dir, 'home');
  const upstreams: McpHttpServer[] = [];
  const started = <T extends McpHttpServer>(server: T) => (upstreams.push(server), server);
  const [twin, interactive, beta, changing, idp, browser] = await Promise.all([
    startTwin('A').then(started),
    options.interactive ? startInteractive().then(started) : undefined,
    options.beta ? startTwin('B').then(started) : undefined,
    options.changing ? startChanging().then(started) : undefined,
    options.identity ? startDemoIdp() : undefined,
    launchChromium(),
  ]);
  const servers = [
    { id: 'alpha', name: 'Alpha catalogue', url: twin.url },
    ...(interactive ? [{ id: 'deploy', name: 'Deployments', url: interactive.url }] : []),
    ...(beta ? [{ id: 'beta', name: 'Beta catalogue', url: beta.url }] : []),
    ...(changing ? [{ id: 'gamma', name: 'Gamma notes', url: changing.url }] : []),
  ];
  const policy = PolicySchema.parse({ version: 1, servers: servers.map((s) => ({ auth: { mode: 'none' }, ...s })), ...options.policy });

  const auditFile = path.join(dir, 'audit.db');
  if (options.seed) {
    const store = AuditStore.open(auditFile);
    try {
      options.seed(store);
    } finally {
      store.close();
    }
  }
  const log = new AuditLog({ open: () => AuditStore.open(auditFile), policy: AuditPolicySchema.parse({}), clock: systemClock, logger: silentLogger });
  const pinning = new ToolPinning({ store: new PinStore({ dataDir: dir }), pinning: policy.pinning, poisoning: policy.poisoning, servers, audit: log });
  const board = new BoardPrompter({ allowLoopbackHttp: true });
  const broker = await startBroker(servers, options.policy ?? {}, { audit: log, pinning, prompter: board });

  let session: IdentitySession | undefined;
  const signIns: Array<Promise<unknown>> = [];
  if (idp) {
    session = new IdentitySession({
      config: withIdentityDefaults({ issuer: idp.issuer, clientId: idp.clientId }),
      secrets: new MemorySecretStore(),
      allowInsecureIssuer: true,
      audit: log,
    });
    await session.signIn({ opener: browserlessOpener('dev') });
  }
  const service = new UiService({
    version: 'test',
    policy,
    policySource: '/etc/gatehouse/policy.json',
    broker: broker.broker,
    board,
    clients: new ClientRegistry({ dataDir: dir }),
    pinning,
    audit: log,
    ...(session
      ? {
          identity: session,
          signIn: () => void signIns.push(session.signIn({ opener: browserlessOpener('dev') })),
        }
      : {}),
    ide: { environment: { homedir: home, platform: 'linux', env: {} }, gatehouseCommand: { command: '/usr/bin/node', args: ['/opt/gatehouse/cli.js'] } },
    topicIntervalMs: 50,
  });
  const server = await UiServer.start({ calls: service });
  await mkdir(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];

  return {
    dir,
    home,
    policy,
    broker,
    board,
    log,
    service,
    server,
    browser,
    idp,
    changing,
    session,
    signIns,
    openPage: ({ view = 'dashboard', colorScheme = 'light' } = {}) => openUiPage(browser, contexts, server.link(), { colorScheme, view, width: 1280 }),
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.stop();
      service.close();
      board.close();
      await Promise.allSettled(signIns);
      await broker.stop();
      log.close();
      await Promise.all(upstreams.map((u) => u.close()));
      await idp?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
