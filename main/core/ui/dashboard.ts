// `dashboard.get`: the state of this Gatehouse at a glance, read fresh from its parts on each call:
// who is signed in, which policy is in force, each server's health and tools, the registered IDEs
// (names only: never a token or its hash) and whether the audit trail is being written and shipped.
import type { AuditSummary, Dashboard, IdentitySummary, ServerSummary } from '../../../common/ui-api.js';
import { AuditStoreError } from '../audit/store/audit-store.js';
import { storeFailure } from '../audit/store/store-failure.js';
import { canonicalJson, sha256Hex } from '../guard/pinning/tool-hash.js';
import type { Policy } from '../policy/schema.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { UiAudit, UiIdentity, UiServiceDeps } from './ui-deps.js';
import { clip } from './clip.js';

export async function readDashboard(deps: UiServiceDeps, clock: Clock, logger: Logger): Promise<Dashboard> {
  const { policy, broker } = deps;
  return {
    version: deps.version,
    now: clock.now(),
    endpoint: broker.url,
    policy: { source: clip(deps.policySource, 4_000), version: policy.version, sha256: sha256Hex(canonicalJson(policy)) },
    paused: broker.paused,
    identity: await identitySummary(deps.identity),
    servers: serverSummaries(deps),
    clients: clientSummaries(deps, logger),
    audit: auditSummary(deps.audit, policy),
  };
}

async function identitySummary(identity: UiIdentity | undefined): Promise<IdentitySummary> {
  if (identity === undefined) return { configured: false, signedIn: false, roles: [] };
  const status = await identity.status();
  return {
    configured: true,
    signedIn: status.signedIn,
    issuer: status.issuer,
    ...(status.subject !== undefined ? { subject: clip(status.subject, 500) } : {}),
    ...(status.name !== undefined ? { name: clip(status.name, 500) } : {}),
    roles: status.roles.slice(0, 500).map((role) => clip(role, 200)),
    secrets: { backend: status.secrets.backend, ...(status.secrets.problem !== undefined ? { problem: clip(status.secrets.problem, 2_000) } : {}) },
  };
}

function serverSummaries(deps: UiServiceDeps): ServerSummary[] {
  return deps.policy.servers.slice(0, 200).map((server) => {
    const health = deps.broker.health.get(server.id);
    const tools = (deps.pinning?.reviewedTools(server.id) ?? []).slice(0, 5_000).map((tool) => ({
      name: clip(tool.name, 500),
      ...(tool.title !== undefined ? { title: clip(tool.title, 500) } : {}),
      state: tool.state,
      ...(tool.reason !== undefined ? { reason: clip(tool.reason, 4_000) } : {}),
    }));
    return {
      id: server.id,
      ...(server.name !== undefined ? { name: server.name } : {}),
      url: server.url,
      health: health.state,
      ...(health.error !== undefined ? { error: clip(health.error, 4_000) } : {}),
      since: health.since,
      tools,
    };
  });
}

function clientSummaries(deps: UiServiceDeps, logger: Logger): Dashboard['clients'] {
  try {
    return deps.clients.list().slice(0, 1_000).map((client) => ({ name: client.name, createdAt: client.createdAt }));
  } catch (error) {
    // A damaged clients file must not hide the rest of the dashboard; the broker keeps the last good copy.
    logger.log('warn', 'the dashboard cannot list the registered clients', { error: String(error) });
    return [];
  }
}

function auditSummary(audit: UiAudit | undefined, policy: Policy): AuditSummary {
  const { sink: sinkPolicy } = policy.audit;
  const sink = sinkPolicy === undefined ? undefined : { origin: new URL(sinkPolicy.url).origin, format: sinkPolicy.format };
  const shape = (ok: boolean, failure: string | undefined, warning?: string): AuditSummary => ({
    ok,
    ...(failure !== undefined ? { failure: clip(failure, 4_000) } : {}),
    ...(warning !== undefined ? { warning: clip(warning, 4_000) } : {}),
    events: 0,
    pending: 0,
    ...(sink !== undefined ? { sink } : {}),
    parked: false,
  });
  if (audit === undefined) return shape(false, 'This Gatehouse keeps no audit trail.');
  const health = audit.health();
  const summary = shape(health.ok, health.failure?.message, health.warning);
  const store = audit.current;
  if (store === undefined) return summary;
  try {
    const outbox = store.outbox();
    return {
      ...summary,
      events: store.stats().events,
      // Without a collector nothing is waiting to be shipped.
      pending: sink === undefined ? 0 : store.pending().events,
      ...(sink !== undefined && outbox.lastSuccess !== undefined ? { lastSuccess: outbox.lastSuccess } : {}),
      ...(sink !== undefined && outbox.lastError !== undefined ? { lastError: clip(outbox.lastError, 4_000) } : {}),
      parked: sink !== undefined && outbox.parked,
    };
  } catch (error) {
    const failure = error instanceof AuditStoreError ? error.failure : storeFailure(error, store.file);
    return { ...summary, ok: false, failure: clip(failure.message, 4_000) };
  }
}
