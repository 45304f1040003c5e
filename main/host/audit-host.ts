// The audit trail of a Gatehouse process: the log in the data dir and, when policy names a
// collector, the outbox that ships it. `serve`, `demo` and the desktop app keep both for their whole
// life; `login` and `logout` open the log just long enough to record what they did.
import os from 'node:os';
import { GATEHOUSE_VERSION } from '../../common/version.js';
import { auditFile } from '../core/audit/audit-file.js';
import { AuditLog } from '../core/audit/audit-log.js';
import { AuditStore } from '../core/audit/store/audit-store.js';
import { Checkpointer } from '../core/audit/store/checkpointer.js';
import { Outbox } from '../core/audit/sync/outbox.js';
import { resolveSinkHeaders } from '../core/audit/sync/sink-headers.js';
import type { Policy } from '../core/policy/schema.js';
import { systemClock } from '../core/ports/clock.js';
import type { SecretStore } from '../core/ports/secret-store.js';
import { MemorySecretStore } from '../core/secrets/memory-secret-store.js';
import { dataDirOf, policyOf, type CommonFlags, type Context } from './context.js';

export interface AuditHost {
  log: AuditLog;
  /** Flushes what is queued, stops shipping, closes the database. */
  close(): Promise<void>;
}

export interface AuditHostOptions {
  secrets?: SecretStore;
  /** Ship to the collector in policy (the broker; short commands leave it to the broker). */
  ship?: boolean;
  /** A broker that runs for long: WAL checkpoints move to a worker thread, off the calls' path. */
  background?: boolean;
}

export function openAudit(ctx: Context, policy: Policy, dataDir: string, options: AuditHostOptions = {}): AuditHost {
  const file = auditFile(dataDir);
  const background = options.background === true;
  const log = new AuditLog({ open: () => AuditStore.open(file, { backgroundCheckpoints: background }), policy: policy.audit, clock: systemClock, logger: ctx.logger });
  const checkpointer = background ? Checkpointer.start(file) : undefined;
  const health = log.health();
  if (health.failure) {
    ctx.err(`gatehouse: ${health.failure.message}; ${policy.audit.required ? 'tool calls are refused until it works' : 'tool calls go on unaudited (audit.required is false)'}\n`);
  }
  const { sink } = policy.audit;
  const secrets = options.secrets;
  const outbox =
    sink && options.ship === true
      ? new Outbox({
          store: () => log.current,
          sink,
          // Without a keychain every secret header is missing, and resolveSinkHeaders says which.
          headers: () => resolveSinkHeaders(sink, secrets ?? new MemorySecretStore()),
          resource: { version: GATEHOUSE_VERSION, host: os.hostname() },
          clock: systemClock,
          logger: ctx.logger,
        })
      : undefined;
  outbox?.start();
  return {
    log,
    async close() {
      await outbox?.stop();
      log.close();
      await checkpointer?.stop();
    },
  };
}

/** The audit log of a short command (`login`): the policy and data dir its flags name; it ships nothing itself. */
export async function auditFor(ctx: Context, flags: CommonFlags): Promise<AuditHost> {
  const { policy } = await policyOf(ctx, flags);
  return openAudit(ctx, policy, await dataDirOf(ctx, flags));
}
