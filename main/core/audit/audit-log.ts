// The audit trail as the broker uses it. Events are queued and staged in one write to this
// process's journal per turn of the event loop (group commit), so a tool call costs a queue push,
// and its answer waits only for the batch it is in: once the client has its answer, the event is on
// disk and survives kill -9. Staged events are sealed into the hash chain in bulk, every SEAL_MS or
// SEAL_AT events, because a small commit into the indexed, chained table costs several times what
// the tool call itself does.
//
// When the store cannot be written (disk full, read-only, corrupt, outbox at its cap), policy
// decides: `required` (the default) refuses calls until it works again and keeps the events it could
// not stage in memory to write them then; otherwise calls go on and an `audit.gap` event records how
// many events were lost and when. Events already staged wait in the journal either way.
import type { AuditEvent, AuditEventInput } from '../../../common/audit-event.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { AuditPolicy } from './audit-policy.js';
import type { AuditRecorder, AuditRefusal } from './audit-recorder.js';
import { AuditStoreError, type AuditStore } from './store/audit-store.js';
import type { StoreFailure } from './store/store-failure.js';
import type { StagingJournal } from './store/staging-journal.js';
import { clipEvent } from './clip-event.js';
import { pendingCap } from './pending-cap.js';

/** Unwritten events kept while the store fails and policy requires auditing; beyond it they count as a gap. */
const MAX_RETAINED = 10_000;
const RETRY_MS = 5_000;
const PENDING_REFRESH_MS = 5_000;
const RETENTION_EVERY_MS = 60 * 60 * 1000;
/** Staged events join the chain (and the activity view, the outbox) within this time... */
const SEAL_MS = 200;
/** ...or as soon as this many are staged. */
const SEAL_AT = 1_000;
/**
 * Sealing in the background goes this many events at a time, letting calls through in between: a
 * few hundred at once would hold every call in flight for milliseconds.
 */
const BACKGROUND_SEAL_SLICE = 128;
/** Once sealed to its end, a journal this big is replaced by a new one, so none grows without end. */
const ROTATE_BYTES = 8 * 1024 * 1024;

export interface AuditLogOptions {
  /** Opens the store; called again after a failure, so a fixed disk or permission heals without a restart. */
  open: () => AuditStore;
  policy: AuditPolicy;
  clock: Clock;
  logger: Logger;
}

export interface AuditHealth {
  ok: boolean;
  /** Why events cannot be written, when they cannot. */
  failure?: StoreFailure;
  /** Pending (unshipped) events are close to the cap: shown to the user long before it is reached. */
  warning?: string;
  /** Events lost so far while policy let calls go on unaudited (not yet recorded as a gap). */
  unrecorded: number;
}

type Deferred = { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void };

export class AuditLog implements AuditRecorder {
  readonly keeps: AuditRecorder['keeps'];
  private store: AuditStore | undefined;
  private failure: StoreFailure | undefined;
  private queue: AuditEventInput[] = [];
  private batch: Deferred | undefined;
  private retained: AuditEventInput[] = [];
  private gap: { count: number; since: number; condition: string } | undefined;
  private pendingBytes = 0;
  /**
   * The acknowledged seq `pendingBytes` accounts for; undefined until the first full count. Appends
   * add their bytes as they are written and acknowledgements subtract only the newly acknowledged
   * range, so the refresh never rereads everything pending (which grows with days offline).
   */
  private countedUpTo: number | undefined;
  private warned = false;
  private readonly listeners = new Set<(events: readonly AuditEvent[]) => void>();
  private readonly timers: { cancel(): void }[] = [];
  private retry: { cancel(): void } | undefined;
  private closed = false;
  /**
   * Where this process stages events: the last takes new ones, those before it are sealed and then
   * removed (a journal that grew big, or that a failed write left with a cut line).
   */
  private readonly journals: StagingJournal[] = [];
  private unsealed = 0;
  private sealTimer: { cancel(): void } | undefined;
  /** The current failure is sealing's (staging works): only a successful seal clears it. */
  private sealFailed = false;
  /**
   * The failure last logged, until a write works again. Kept apart from `failure`, which a reopened
   * store clears: a failure that outlasts reopening (a journal that cannot be written) is logged once.
   */
  private reported: StoreFailure['condition'] | undefined;

  constructor(private readonly options: AuditLogOptions) {
    this.keeps = { arguments: options.policy.arguments, elicitationAnswers: options.policy.elicitationAnswers };
    this.tryOpen();
    this.refreshPending();
    this.maintain();
    this.every(PENDING_REFRESH_MS, () => this.refreshPending());
    this.every(RETENTION_EVERY_MS, () => this.maintain());
  }

  /** The open store, for the outbox and `audit` queries; undefined while it cannot be opened. */
  get current(): AuditStore | undefined {
    return this.store;
  }

  record(event: AuditEventInput): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.queue.push(clipEvent(event, this.options.clock.now()));
    if (this.batch === undefined) {
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      // A rejection nobody awaits (an event recorded in passing) must not crash the process.
      promise.catch(() => undefined);
      this.batch = { promise, resolve, reject };
      setImmediate(() => this.commit());
    }
    return this.batch.promise;
  }

  refusal(): AuditRefusal | undefined {
    if (!this.options.policy.required) return undefined;
    const reason = this.failure?.message ?? this.capProblem();
    if (reason === undefined) return undefined;
    return { code: 'GATEHOUSE_AUDIT_UNAVAILABLE', message: `Gatehouse cannot record this call in the audit log, and policy requires it: ${reason}` };
  }

  health(): AuditHealth {
    const warning = this.capWarning();
    return {
      ok: this.failure === undefined && this.capProblem() === undefined,
      ...(this.failure ? { failure: this.failure } : {}),
      ...(warning ? { warning } : {}),
      unrecorded: this.gap?.count ?? 0,
    };
  }

  /** Called with every batch once it is on disk (the activity view's live feed). */
  onWritten(listener: (events: readonly AuditEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes and seals what is queued now (on close, and by tests that read the store right after). */
  flush(): void {
    if (this.closed) return;
    this.commit();
    this.seal(true);
  }

  /** Stages what is queued: the group commit the calls of this turn wait for. */
  private commit(): void {
    const batch = this.batch;
    const events = this.queue;
    this.batch = undefined;
    this.queue = [];
    // A gap is written as soon as the store works again, not only with the next event.
    if (events.length === 0 && this.retained.length === 0 && this.gap === undefined) return batch?.resolve();
    const error = this.write(events);
    if (error === undefined) return batch?.resolve();
    if (this.options.policy.required) batch?.reject(error);
    else batch?.resolve();
  }

  private write(events: AuditEventInput[]): AuditStoreError | undefined {
    const capProblem = this.capProblem();
    if (this.store === undefined || capProblem !== undefined) {
      const error = new AuditStoreError(this.failure ?? { condition: 'full', message: capProblem ?? 'the audit log is not open' });
      this.keepUnwritten(events, error.failure);
      return error;
    }
    const now = this.options.clock.now();
    const gap = this.gap;
    const batch = [...(gap ? [gapEvent(gap, now)] : []), ...this.retained, ...events];
    try {
      this.store.stage(this.journalFor(this.store), batch, now);
      this.unsealed += batch.length;
      this.retained = [];
      this.gap = undefined;
      if (!this.sealFailed) this.recovered(gap ? { unrecorded: gap.count } : {});
      if (this.unsealed >= SEAL_AT) this.seal();
      else this.sealTimer ??= this.options.clock.setTimeout(() => this.seal(), SEAL_MS);
      return undefined;
    } catch (error) {
      if (!(error instanceof AuditStoreError)) throw error;
      this.fail(error.failure);
      this.keepUnwritten(events, error.failure);
      return error;
    }
  }

  private journalFor(store: AuditStore): StagingJournal {
    const current = this.journals[this.journals.length - 1];
    if (current?.usable) return current;
    const journal = store.openJournal();
    this.journals.push(journal);
    return journal;
  }

  /**
   * Gives this process's staged events their place in the chain, and tells the listeners: `all` at
   * once (flush, close), else a slice now and the rest on later turns of the event loop. `closing`
   * removes the journal too once all of it is sealed.
   */
  private seal(all = false, closing = false): void {
    this.sealTimer?.cancel();
    this.sealTimer = undefined;
    if (this.store === undefined || (this.unsealed === 0 && !this.sealFailed && !closing)) return;
    const sealed: AuditEvent[][] = [];
    let more = false;
    try {
      do {
        const journal = this.journals[0];
        if (journal === undefined) break;
        const slice = this.store.sealJournal(journal, all ? undefined : BACKGROUND_SEAL_SLICE);
        this.pendingBytes += slice.bytes;
        if (slice.events.length > 0) sealed.push(slice.events);
        more = slice.more;
        if (!more) {
          const damaged = slice.end < journal.size;
          if (damaged) this.options.logger.log('error', `staged audit events were removed before they were sealed: ${journal.file} was cut short`);
          if (damaged || closing || this.journals.length > 1 || !journal.usable || journal.size >= ROTATE_BYTES) {
            this.store.retireJournal(journal);
            this.journals.shift();
            more = this.journals.length > 0;
          }
        }
        this.unsealed = more ? Math.max(0, this.unsealed - slice.events.length) : 0;
      } while (all && more);
      if (more) {
        const next = setImmediate(() => this.seal());
        this.sealTimer = { cancel: () => clearImmediate(next) };
      }
      if (this.sealFailed) {
        this.sealFailed = false;
        this.recovered();
      }
    } catch (error) {
      if (!(error instanceof AuditStoreError)) throw error;
      this.fail(error.failure);
      this.sealFailed = true;
      this.retryLater();
    }
    for (const events of sealed) for (const listener of this.listeners) listener(events);
  }

  /** Unwritten events wait in memory when policy requires auditing (bounded), else count as a gap. */
  private keepUnwritten(events: AuditEventInput[], failure: StoreFailure): void {
    const room = this.options.policy.required ? Math.max(0, MAX_RETAINED - this.retained.length) : 0;
    this.retained.push(...events.slice(0, room));
    const lost = events.length - Math.min(room, events.length);
    if (lost > 0) {
      this.gap ??= { count: 0, since: this.options.clock.now(), condition: failure.condition };
      this.gap.count += lost;
    }
    this.retryLater();
  }

  private fail(failure: StoreFailure): void {
    if (this.reported !== failure.condition) {
      const consequence = this.options.policy.required ? 'tool calls are refused until it works again' : 'tool calls go on unaudited (audit.required is false)';
      this.options.logger.log('error', `${failure.message}; ${consequence}`, { condition: failure.condition });
      this.reported = failure.condition;
    }
    this.failure = failure;
  }

  /** A write worked: a failure logged before is over, and the log says so once. */
  private recovered(details: Record<string, unknown> = {}): void {
    this.failure = undefined;
    if (this.reported === undefined) return;
    this.reported = undefined;
    this.options.logger.log('info', 'the audit log is being written again', details);
  }

  private retryLater(): void {
    if (this.retry !== undefined || this.closed) return;
    this.retry = this.options.clock.setTimeout(() => {
      this.retry = undefined;
      // A write failed: only a new connection sees a file made writable again, moved aside or given room.
      if (this.store === undefined || this.failure !== undefined) this.tryOpen();
      this.refreshPending();
      this.flush();
    }, RETRY_MS);
  }

  private tryOpen(): void {
    try {
      const store = this.options.open();
      this.store?.close();
      this.store = store;
      this.countedUpTo = undefined;
      if (this.failure !== undefined && this.failure.condition !== 'full') this.failure = undefined;
    } catch (error) {
      if (!(error instanceof AuditStoreError)) throw error;
      this.fail(error.failure);
    }
  }

  private refreshPending(): void {
    if (this.store === undefined || this.options.policy.sink === undefined) return;
    try {
      const acked = this.store.outbox().ackedSeq;
      if (this.countedUpTo === undefined) this.pendingBytes = this.store.pending().bytes;
      else if (acked > this.countedUpTo) this.pendingBytes = Math.max(0, this.pendingBytes - this.store.bodyBytes(this.countedUpTo, acked));
      this.countedUpTo = acked;
    } catch {
      // A failing read is reported by the next write; the estimate stays as it was.
    }
    const warning = this.capWarning();
    if (warning !== undefined && !this.warned) this.options.logger.log('warn', warning);
    this.warned = warning !== undefined;
  }

  private capProblem(): string | undefined {
    const cap = this.cap();
    return cap?.full ? cap.message : undefined;
  }

  private capWarning(): string | undefined {
    return this.cap()?.message;
  }

  private cap(): ReturnType<typeof pendingCap> {
    const { sink, required } = this.options.policy;
    return sink === undefined ? undefined : pendingCap(this.pendingBytes, sink, required);
  }

  /** Retention: events past their days or beyond the size cap go, but never one the collector has not acknowledged. */
  maintain(): number {
    if (this.store === undefined) return 0;
    const { retention, sink } = this.options.policy;
    const now = this.options.clock.now();
    try {
      const deletableUpTo = sink === undefined ? this.store.head().seq : this.store.outbox().ackedSeq;
      return this.store.applyRetention({ olderThan: now - retention.days * 86_400_000, maxBytes: retention.maxMegabytes * 1024 * 1024, deletableUpTo, now });
    } catch (error) {
      if (!(error instanceof AuditStoreError)) throw error;
      this.fail(error.failure);
      return 0;
    }
  }

  private every(ms: number, fn: () => void): void {
    const slot = { cancel: () => {} };
    const schedule = (): void => {
      const timer = this.options.clock.setTimeout(() => {
        if (this.closed) return;
        fn();
        schedule();
      }, ms);
      slot.cancel = () => timer.cancel();
    };
    schedule();
    this.timers.push(slot);
  }

  close(): void {
    if (this.closed) return;
    this.commit();
    this.seal(true, true);
    this.closed = true;
    this.sealTimer?.cancel();
    this.retry?.cancel();
    for (const timer of this.timers) timer.cancel();
    // A journal still here could not be sealed: it stays on disk for the next writer to seal.
    for (const journal of this.journals) journal.close();
    this.store?.close();
  }
}

function gapEvent(gap: { count: number; since: number; condition: string }, now: number): AuditEventInput {
  return {
    type: 'audit.gap',
    decision: 'recorded',
    reason: `${gap.count} event(s) could not be recorded while the audit log was unavailable (${gap.condition}); calls went on because audit.required is false`,
    details: { missed: gap.count, from: gap.since, to: now, condition: gap.condition },
  };
}
