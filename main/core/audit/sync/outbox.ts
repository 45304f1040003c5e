// Ships the audit trail to the company's collector: in order, in batches, at least once. The events
// table is the outbox: everything after the acknowledged seq is pending, so a restart (or a kill -9)
// resumes from the last batch the collector took, and nothing is lost however long the laptop is
// offline. A batch in flight when the process dies is sent again; collectors deduplicate on the
// event id. One process ships at a time (a lease in the database), so the broker and
// `gatehouse audit sync --now` never send the same batch twice.
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { AuditSinkPolicy } from '../audit-policy.js';
import type { AuditStore } from '../store/audit-store.js';
import { JSON_LINES_CONTENT_TYPE, toJsonLines } from '../export/jsonl.js';
import { OTLP_CONTENT_TYPE, toOtlpLogs, type OtlpResource } from '../export/otlp.js';
import { backoffMs, deliverBatch, type DeliveryOutcome } from './collector-client.js';
import { isProcessAlive, ownerPid } from '../process-alive.js';

export interface OutboxOptions {
  /** The store to ship from (undefined while it cannot be opened). */
  store: () => AuditStore | undefined;
  sink: AuditSinkPolicy;
  /** The sink's headers with secret values read from the keychain; throws when one is missing. */
  headers: () => Promise<Record<string, string>>;
  resource: Omit<OtlpResource, 'device'>;
  clock: Clock;
  logger: Logger;
  dispatcher?: Dispatcher;
  random?: () => number;
  /** Whether a process holding the lease still runs (a killed broker must not block shipping until its lease expires). */
  isAlive?: (pid: number) => boolean;
}

export interface SyncResult {
  sent: number;
  pending: number;
  /** Why shipping stopped before everything was sent. */
  error?: string;
  parked?: boolean;
}

/** Extra time a lease lasts beyond one request's timeout. */
const LEASE_MARGIN_MS = 5_000;
const LEASE_POLL_MS = 200;

export class Outbox {
  private readonly owner = `${process.pid}:${randomUUID()}`;
  private timer: { cancel(): void } | undefined;
  private running: Promise<SyncResult> | undefined;
  private attempt = 0;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: OutboxOptions) {}

  /** Ships in the background: now, then every interval, sooner while a backlog drains. */
  start(): void {
    this.schedule(0);
  }

  /**
   * Ships everything pending now, also when parked (`gatehouse audit sync --now`), and says how it
   * went. Waits for a batch another process is sending.
   */
  async syncNow(): Promise<SyncResult> {
    try {
      this.options.store()?.unpark();
      this.attempt = 0;
      return await this.drain(true);
    } catch (error) {
      return { sent: 0, pending: 0, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.drain(false).then(
        (result) => this.afterDrain(result),
        (error: unknown) => {
          // The store failed (full, read-only, closed): say so and look again later, never stop for good.
          this.options.logger.log('error', `could not ship the audit log: ${error instanceof Error ? error.message : String(error)}`);
          this.schedule(this.options.sink.intervalSeconds * 1000);
        },
      );
    }, ms);
  }

  private afterDrain(result: SyncResult & { retryInMs?: number }): void {
    if (result.retryInMs !== undefined) return this.schedule(result.retryInMs);
    this.schedule(this.options.sink.intervalSeconds * 1000);
  }

  private drain(force: boolean): Promise<SyncResult & { retryInMs?: number }> {
    // One drain at a time in this process; a second caller shares the first one's result.
    this.running ??= this.drainOnce(force).finally(() => (this.running = undefined));
    return this.running;
  }

  private async drainOnce(force: boolean): Promise<SyncResult & { retryInMs?: number }> {
    const { sink, clock } = this.options;
    let sent = 0;
    for (;;) {
      const store = this.options.store();
      if (store === undefined || this.stopped) return { sent, pending: 0, error: 'the audit log is not open' };
      const state = store.outbox();
      if (state.parked && !force) return { sent, pending: store.pending().events, parked: true, ...(state.lastError ? { error: state.lastError } : {}) };
      if (!(await this.lease(store, force))) {
        // Another process is sending; let it finish and look again shortly.
        return { sent, pending: store.pending().events, error: 'another Gatehouse process is shipping the audit log', retryInMs: 1_000 };
      }
      let outcome: DeliveryOutcome;
      let last: number;
      try {
        const batch = store.after(store.outbox().ackedSeq, sink.batchSize);
        if (batch.length === 0) return { sent, pending: 0 };
        last = batch[batch.length - 1]!.seq;
        outcome = await this.deliver(batch);
        // Stopping aborts the request: that says nothing about the collector, so nothing is recorded.
        if (this.stopped && outcome.kind !== 'delivered') return { sent, pending: store.pending().events };
        if (outcome.kind === 'delivered') {
          store.acknowledge(last, clock.now());
          sent += batch.length;
          this.attempt = 0;
          if (batch.length < sink.batchSize) return { sent, pending: 0 };
          continue;
        }
        store.recordFailure(outcome.reason, outcome.kind === 'parked', clock.now());
      } finally {
        store.releaseLease(this.owner);
      }
      const pending = store.pending().events;
      if (outcome.kind === 'parked') {
        this.options.logger.log('error', `the audit collector refused a batch; shipping is paused until \`gatehouse audit sync --now\` or a restart: ${outcome.reason}`, { pending });
        return { sent, pending, parked: true, error: outcome.reason };
      }
      this.attempt++;
      const retryInMs = Math.max(outcome.retryAfterMs ?? 0, backoffMs(this.attempt, this.options.random ?? Math.random));
      this.options.logger.log(this.attempt === 1 ? 'warn' : 'debug', `could not ship the audit log; retrying in ${Math.ceil(retryInMs / 1000)} s: ${outcome.reason}`, { pending });
      return { sent, pending, error: outcome.reason, retryInMs };
    }
  }

  /**
   * The lease. Asked to ship now (`gatehouse audit sync --now` while the broker runs), it waits up to
   * one request's time for the batch another process is sending, rather than fail at once.
   */
  private async lease(store: AuditStore, wait: boolean): Promise<boolean> {
    const deadline = this.options.clock.now() + this.options.sink.timeoutSeconds * 1000 + LEASE_MARGIN_MS;
    for (;;) {
      if (this.takeLease(store)) return true;
      const holder = leaseHolderPid(store);
      if (!wait || holder === process.pid || this.stopped || this.options.clock.now() >= deadline) return false;
      await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, LEASE_POLL_MS));
    }
  }

  private takeLease(store: AuditStore): boolean {
    const now = this.options.clock.now();
    const ms = this.options.sink.timeoutSeconds * 1000 + LEASE_MARGIN_MS;
    if (store.tryLease(this.owner, now, ms)) return true;
    // A holder that is no longer running (killed mid-sync) on this machine gives way at once.
    const holder = leaseHolderPid(store);
    const alive = this.options.isAlive ?? isProcessAlive;
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      store.releaseLease(store.outbox().leaseOwner!);
      return store.tryLease(this.owner, now, ms);
    }
    return false;
  }

  private async deliver(batch: Parameters<typeof toJsonLines>[0]): Promise<DeliveryOutcome> {
    const { sink } = this.options;
    let headers: Record<string, string>;
    try {
      headers = await this.options.headers();
    } catch (error) {
      return { kind: 'parked', status: 0, reason: error instanceof Error ? error.message : String(error) };
    }
    const device = batch[0]!.device;
    const body = sink.format === 'jsonl' ? toJsonLines(batch) : JSON.stringify(toOtlpLogs(batch, { ...this.options.resource, device }));
    return deliverBatch({
      url: sink.url,
      body,
      contentType: sink.format === 'jsonl' ? JSON_LINES_CONTENT_TYPE : OTLP_CONTENT_TYPE,
      headers,
      timeoutMs: sink.timeoutSeconds * 1000,
      signal: this.abort.signal,
      ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.abort.abort(new Error('Gatehouse is stopping'));
    await this.running?.catch(() => undefined);
  }
}

/** The process holding the lease (owners are `<pid>:<uuid>`), or NaN when nobody does. */
function leaseHolderPid(store: AuditStore): number {
  return ownerPid(store.outbox().leaseOwner);
}
