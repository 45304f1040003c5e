// `gatehouse audit sync --now`: ships every pending event to the policy's collector now, also when
// shipping is paused after a refusal, and says what was sent and what remains. Shares the outbox
// (and its lease) with a running broker, so the two never send the same batch. Exits non-zero
// (GATEHOUSE_AUDIT_SYNC_FAILED) while anything remains unsent.
import { hostname } from 'node:os';
import { GatehouseError } from '../../../../common/errors.js';
import { GATEHOUSE_VERSION } from '../../../../common/version.js';
import { resolveSinkHeaders, sinkSecretNames } from '../../../core/audit/sync/sink-headers.js';
import { Outbox } from '../../../core/audit/sync/outbox.js';
import { systemClock } from '../../../core/ports/clock.js';
import { silentLogger } from '../../../core/ports/logger.js';
import type { SecretStore } from '../../../core/ports/secret-store.js';
import { openSecretStore } from '../../../core/secrets/open-secret-store.js';
import { MemorySecretStore } from '../../../core/secrets/memory-secret-store.js';
import { policyOf, type CommonFlags, type Context } from '../../../host/context.js';
import { noLogYet, openExistingLog, withStore } from './open-log.js';

export interface SyncDeps {
  /** Tests pass their own; the CLI opens the OS keychain, and only when a header needs it. */
  secrets?: SecretStore;
}

export async function sync(ctx: Context, file: string, flags: CommonFlags & { now?: boolean; json?: boolean }, deps: SyncDeps = {}): Promise<void> {
  if (flags.now !== true) {
    throw new GatehouseError('GATEHOUSE_USAGE', 'usage: gatehouse audit sync --now (the running broker ships on its own; --now ships everything pending at once)');
  }
  const { policy, source } = await policyOf(ctx, flags);
  const sink = policy.audit.sink;
  if (sink === undefined) {
    throw new GatehouseError('GATEHOUSE_USAGE', `the policy from ${source} names no audit collector ("audit": {"sink": …}), so events stay on this computer and there is nothing to ship to`);
  }
  const store = openExistingLog(file, { write: true });
  if (store === undefined) return ctx.out(`${noLogYet(file)} Nothing to send.\n`);
  const secrets = deps.secrets ?? (sinkSecretNames(sink).length > 0 ? await openSecretStore({ logger: ctx.logger }) : new MemorySecretStore());
  const result = await withStore(store, async () => {
    const outbox = new Outbox({
      store: () => store,
      sink,
      headers: () => resolveSinkHeaders(sink, secrets),
      resource: { version: GATEHOUSE_VERSION, host: hostname() },
      clock: systemClock,
      // Its log lines say what the result below says, in a broker's words ("retrying in 4 s").
      logger: silentLogger,
    });
    try {
      return await outbox.syncNow();
    } finally {
      await outbox.stop();
    }
  });
  if (flags.json) ctx.out(`${JSON.stringify({ collector: sink.url, ...result })}\n`);
  else ctx.out(`Sent ${result.sent} event(s) to ${sink.url}; ${result.pending} remain${result.pending === 0 ? '' : ' unsent'}.\n`);
  if (result.pending > 0) {
    const why = result.error ?? 'shipping stopped early';
    const next = result.parked
      ? 'Shipping stays paused until the cause is fixed; then run gatehouse audit sync --now again.'
      : 'A running broker keeps retrying on its own; run gatehouse audit sync --now to try again at once.';
    throw new GatehouseError('GATEHOUSE_AUDIT_SYNC_FAILED', `${result.pending} audit event(s) were not delivered: ${why}. ${next}`);
  }
}
