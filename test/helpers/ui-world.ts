// A UiService over real parts, for the tests of the UI's calls and of their HTTP binding: a real
// broker on port 0 in front of a twin server, a real audit log, tool pins and client registry in a
// temporary data dir, and the prompt board the broker asks. Only the identity session is a fake (a
// real one needs an IdP), given when a test wants one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../main/core/audit/audit-log.js';
import { AuditPolicySchema } from '../../main/core/audit/audit-policy.js';
import { AuditStore } from '../../main/core/audit/store/audit-store.js';
import { ClientRegistry } from '../../main/core/clients/registry.js';
import { PinStore } from '../../main/core/guard/pinning/pin-store.js';
import { ToolPinning } from '../../main/core/guard/pinning/tool-pinning.js';
import type { IdentityStatus, SignOutResult } from '../../main/core/identity/identity-types.js';
import { PolicySchema, type Policy } from '../../main/core/policy/schema.js';
import { systemClock } from '../../main/core/ports/clock.js';
import { silentLogger } from '../../main/core/ports/logger.js';
import { BoardPrompter } from '../../main/core/prompts/board-prompter.js';
import type { UiIdentity } from '../../main/core/ui/ui-deps.js';
import { UiService, type UiServiceDeps } from '../../main/core/ui/ui-service.js';
import { RecordingLogger } from '../fixtures/oauth/recording-logger.js';
import { startTwin, type TwinServer } from '../fixtures/servers/twin.js';
import { startBroker, type Harness } from '../integration/helpers/broker-harness.js';

export interface UiWorld {
  dir: string;
  home: string;
  twin: TwinServer;
  policy: Policy;
  harness: Harness;
  log: AuditLog;
  auditFile: string;
  pinning: ToolPinning;
  board: BoardPrompter;
  clients: ClientRegistry;
  logger: RecordingLogger;
  service: UiService;
  /** Another service over the same parts, with some of them replaced. */
  serviceWith(over: Partial<UiServiceDeps>): UiService;
  stop(): Promise<void>;
}

export async function startUiWorld(): Promise<UiWorld> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-ui-'));
  const home = path.join(dir, 'home');
  const twin = await startTwin('A');
  const servers = [{ id: 'alpha', name: 'Alpha catalogue', url: twin.url }];
  const policy = PolicySchema.parse({ version: 1, servers: servers.map((s) => ({ auth: { mode: 'none' }, ...s })) });
  const auditFile = path.join(dir, 'audit.db');
  const log = new AuditLog({ open: () => AuditStore.open(auditFile), policy: AuditPolicySchema.parse({}), clock: systemClock, logger: silentLogger });
  const pinning = new ToolPinning({ store: new PinStore({ dataDir: dir }), servers: [{ id: 'alpha', url: twin.url }], audit: log });
  const board = new BoardPrompter({});
  const harness = await startBroker(servers, {}, { audit: log, pinning, prompter: board });
  const clients = new ClientRegistry({ dataDir: dir });
  const logger = new RecordingLogger();
  const services: UiService[] = [];
  const base: UiServiceDeps = {
    version: 'test',
    policy,
    policySource: '/etc/gatehouse/policy.json',
    broker: harness.broker,
    board,
    clients,
    pinning,
    audit: log,
    ide: { environment: { homedir: home, platform: 'linux', env: {} }, gatehouseCommand: { command: '/usr/bin/node', args: ['/opt/gatehouse/cli.js'] } },
    logger,
    topicIntervalMs: 0,
  };
  const serviceWith = (over: Partial<UiServiceDeps>) => {
    const service = new UiService({ ...base, ...over });
    services.push(service);
    return service;
  };
  return {
    dir,
    home,
    twin,
    policy,
    harness,
    log,
    auditFile,
    pinning,
    board,
    clients,
    logger,
    service: serviceWith({}),
    serviceWith,
    async stop() {
      for (const service of services) service.close();
      board.close();
      await harness.stop();
      log.close();
      await twin.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An identity session that needs no IdP: signed in as Dana until signed out. */
export class FakeIdentity implements UiIdentity {
  signedIn = true;
  readonly #listeners = new Set<() => void>();

  async status(): Promise<IdentityStatus> {
    return {
      issuer: 'https://idp.example.com',
      signedIn: this.signedIn,
      ...(this.signedIn ? { subject: 'u-1234', name: 'Dana Developer' } : {}),
      roles: this.signedIn ? ['developer'] : [],
      secrets: { backend: 'memory', problem: 'No keychain is available.' },
    };
  }

  async signOut(): Promise<SignOutResult> {
    const wasSignedIn = this.signedIn;
    this.signedIn = false;
    for (const listener of this.#listeners) listener();
    return { wasSignedIn, revokedAtIdp: wasSignedIn };
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}
