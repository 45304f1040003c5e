// The audit trail on disk: one SQLite database (better-sqlite3, WAL, synchronous=NORMAL) in the data
// dir. Events are appended in batches, each in one transaction, and chained: every event's body
// carries the hash of the one before it. Several processes may write (the broker, `gatehouse login`),
// so the chain's head is read under the write lock, never cached.
//
// A tool call's answer waits for its event to be durable, which is what `stage` does: a line in this
// process's staging journal (staging-journal.ts). `sealJournal` later gives staged events their
// place in the chain many at a time, so the indexed insert and the hashing are paid in bulk; a
// process that dies in between has its journal sealed by the next writer that opens the log.
import { randomFillSync } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { GatehouseError } from '../../../../common/errors.js';
import { auditEventInputSchema, type AuditEvent, type AuditEventInput } from '../../../../common/audit-event.js';
import { BACKGROUND_BACKSTOP_PAGES } from './checkpointer.js';
import { migrate } from './migrations.js';
import { storeFailure, type StoreFailure } from './store-failure.js';
import { sha256Hex } from '../../guard/pinning/tool-hash.js';
import { isProcessAlive, ownerPid } from '../process-alive.js';
import { listJournals, readJournal, StagingJournal, type JournalFile } from './staging-journal.js';

/** The hash the first event of a log continues from. */
export const GENESIS_HASH = '0'.repeat(64);

export class AuditStoreError extends GatehouseError {
  constructor(readonly failure: StoreFailure, options?: { cause?: unknown }) {
    super('GATEHOUSE_AUDIT_UNAVAILABLE', failure.message, options);
  }
}

export interface AuditStoreOptions {
  /** Opens an existing log for reading only (`gatehouse audit tail`, `verify`); never creates one. */
  readonly?: boolean;
  /** Tests simulate a full disk with SQLite's own page limit. */
  maxPageCount?: number;
  /** A Checkpointer does the WAL checkpoints: this connection does them only as a backstop. */
  backgroundCheckpoints?: boolean;
  /** Whether the process that staged events still runs (tests stand in for a killed one). */
  isAlive?: (pid: number) => boolean;
}

/** How long a connection waits for another process's lock before it reports the log busy. */
const BUSY_TIMEOUT_MS = 5_000;
/** Staged events sealed per transaction: the write lock is held for a few milliseconds at most. */
const SEAL_SLICE = 1_000;
/** Random bytes drawn at once for event ids: one draw per call would cost more than the rest of the id. */
const RANDOM_POOL_BYTES = 4_096;

export interface EventRow {
  seq: number;
  id: string;
  time: number;
  type: string;
  user: string | null;
  client: string | null;
  session: string | null;
  server: string | null;
  tool: string | null;
  decision: string;
  body: string;
  hash: string;
}

export interface Checkpoint {
  nextSeq: number;
  prevHash: string;
  deleted: number;
  time: number;
  reason: string;
}

export interface OutboxRow {
  ackedSeq: number;
  lastSuccess: number | undefined;
  lastAttempt: number | undefined;
  lastError: string | undefined;
  lastErrorAt: number | undefined;
  parked: boolean;
  leaseOwner: string | undefined;
  leaseUntil: number | undefined;
}

export interface AuditQuery {
  server?: string;
  tool?: string;
  client?: string;
  user?: string;
  decision?: string;
  type?: string;
  /** Milliseconds since the epoch, inclusive. */
  since?: number;
  until?: number;
  /** Plain text searched anywhere in the event (not a pattern). */
  text?: string;
  /** Keyset paging: events with a smaller seq than this (the previous page's `next`). */
  before?: number;
  limit?: number;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: number;
}

const MAX_PAGE = 500;

export class AuditStore {
  readonly device: string;
  private readonly statements;
  private journalStatements: Record<'progress' | 'advance' | 'forget', Database.Statement> | undefined;
  /** Made once: better-sqlite3 builds a new wrapper per db.transaction() call, a cost on every staged batch. */
  private readonly transaction;
  private readonly lastId = { time: -1, counter: 0 };
  private readonly random = new Uint8Array(RANDOM_POOL_BYTES);
  private randomAt = RANDOM_POOL_BYTES;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
  ) {
    this.device = (db.prepare("SELECT value FROM meta WHERE key = 'device'").get() as { value: string }).value;
    this.transaction = db.transaction((fn: () => unknown) => fn());
    this.statements = {
      head: db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1'),
      lastCheckpoint: db.prepare('SELECT next_seq AS nextSeq, prev_hash AS prevHash, deleted, time, reason FROM checkpoints ORDER BY id DESC LIMIT 1'),
      insert: db.prepare(
        'INSERT INTO events (seq, id, time, type, user, client, session, server, tool, decision, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      after: db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      outbox: db.prepare('SELECT * FROM outbox WHERE id = 1'),
    };
  }

  /** Prepared on first use: a log opened read-only may predate the journals table. */
  private get journals() {
    return (this.journalStatements ??= {
      progress: this.db.prepare('SELECT sealed FROM journals WHERE name = ?'),
      advance: this.db.prepare('INSERT INTO journals (name, sealed) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET sealed = excluded.sealed'),
      forget: this.db.prepare('DELETE FROM journals WHERE name = ?'),
    });
  }

  /** Opens (and creates or upgrades) the log; throws AuditStoreError saying what is wrong and what to do. */
  static open(file: string, options: AuditStoreOptions = {}): AuditStore {
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { readonly: options.readonly === true, fileMustExist: options.readonly === true, timeout: BUSY_TIMEOUT_MS });
      if (options.readonly !== true) {
        // Only a new, empty database can change its vacuum mode; it lets retention give space back.
        if ((db.pragma('page_count', { simple: true }) as number) === 0) db.pragma('auto_vacuum = INCREMENTAL');
        enterWal(db);
        db.pragma('synchronous = NORMAL');
        if (options.backgroundCheckpoints === true) db.pragma(`wal_autocheckpoint = ${BACKGROUND_BACKSTOP_PAGES}`);
        if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${options.maxPageCount}`);
        migrate(db);
      } else {
        // Reading a log must not depend on this process being able to write one.
        db.pragma('query_only = ON');
      }
      const store = new AuditStore(file, db);
      if (options.readonly !== true) store.sealOrphans(options.isAlive ?? isProcessAlive);
      return store;
    } catch (error) {
      db?.close();
      if (error instanceof GatehouseError) throw error;
      const message = error instanceof Error && error.name === 'NewerSchemaError' ? error.message : undefined;
      throw new AuditStoreError(message !== undefined ? { condition: 'newer', message } : storeFailure(error, file), { cause: error });
    }
  }

  /**
   * Appends events in one transaction and returns them as stored. Atomic: on failure nothing of the
   * batch is written and an AuditStoreError says why.
   */
  append(inputs: readonly AuditEventInput[], time: number): { events: AuditEvent[]; bytes: number } {
    return this.write(() => this.link(inputs, time));
  }

  /** A new journal for this process to stage events in; it outlives reopenings of the store. */
  openJournal(pid?: number): StagingJournal {
    if (this.db.readonly) {
      throw new AuditStoreError({ condition: 'read-only', message: `the audit log ${this.file} is read-only (it could be opened for reading only); make it and its folder writable by this user` });
    }
    try {
      return StagingJournal.create(this.file, pid);
    } catch (error) {
      throw new AuditStoreError(storeFailure(error, this.file), { cause: error });
    }
  }

  /**
   * Makes events durable without placing them in the chain yet: a write to `journal`, which is
   * what a tool call's answer waits for. All of them or none.
   */
  stage(journal: StagingJournal, inputs: readonly AuditEventInput[], time: number): void {
    try {
      journal.append(inputs, time);
    } catch (error) {
      throw new AuditStoreError(storeFailure(error, this.file), { cause: error });
    }
  }

  /**
   * Moves up to `limit` of the journal's events that are not sealed yet into the chain, oldest
   * first, in one transaction, and returns them as stored; `more` when others remain; `end` is how
   * far the journal is sealed. `orphaned`: its writer is dead, so a cut last line (a write that
   * never completed) is sealed as a gap rather than waited for.
   */
  sealJournal(journal: JournalFile, limit = SEAL_SLICE, orphaned = false): { events: AuditEvent[]; bytes: number; more: boolean; end: number } {
    return this.write(() => {
      // Read under the write lock: whoever sealed this journal last, nothing is sealed twice.
      const from = this.sealedUpTo(journal.name);
      const slice = journal.read(from, limit);
      if (slice === undefined) return { events: [], bytes: 0, more: false, end: from };
      const now = Date.now();
      const inputs = slice.lines.map((line) => stagedInput(line, now, orphaned));
      let end = slice.end;
      if (orphaned && slice.fragment > 0) {
        inputs.push(unreadable(now, 'the last staged event was cut short when the process writing it stopped'));
        end += slice.fragment;
      }
      if (inputs.length === 0) return { events: [], bytes: 0, more: false, end };
      const sealed = this.link(inputs, now);
      this.journals.advance.run(journal.name, end);
      return { ...sealed, more: slice.more, end };
    });
  }

  /** How many bytes of the journal `name` are in the chain. */
  private sealedUpTo(name: string): number {
    return (this.journals.progress.get(name) as { sealed: number } | undefined)?.sealed ?? 0;
  }

  /**
   * Removes this process's journal once all of it is sealed: the file, then its progress. A file
   * that cannot be removed now (held open by a scanner on Windows, say) keeps its progress row, so
   * whoever removes it later seals nothing of it again.
   */
  retireJournal(journal: StagingJournal): void {
    journal.close();
    if (removeFile(journal.file)) this.write(() => this.journals.forget.run(journal.name));
  }

  /** How many events are staged and not yet in the chain (all processes). */
  stagedCount(): number {
    // A log opened read-only may predate the journals and staged tables, and then has their files only.
    const has = (table: string) => this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    let count = has('staged') ? (this.db.prepare('SELECT count(*) AS n FROM staged').get() as { n: number }).n : 0;
    const withProgress = has('journals');
    for (const journal of listJournals(this.file)) {
      const from = withProgress ? this.sealedUpTo(journal.name) : 0;
      count += readJournal(journal.file, from, Number.POSITIVE_INFINITY)?.lines.length ?? 0;
    }
    return count;
  }

  /** Seals what processes that no longer run left staged (killed between staging and sealing). */
  private sealOrphans(isAlive: (pid: number) => boolean): void {
    for (const journal of listJournals(this.file)) {
      if (journal.pid > 0 && isAlive(journal.pid)) continue;
      while (this.sealJournal(journal, SEAL_SLICE, true).more);
      // Its progress row stays (a few bytes per crash): were its writer alive after all, in another
      // pid namespace say, it would go on sealing through its open file from where this left off.
      // The row also makes a failed removal harmless: the next writer finds nothing left to seal.
      removeFile(journal.file);
    }
    this.sealLegacyStaged(isAlive);
  }

  /** Events an older Gatehouse (schema 5) staged in the `staged` table and did not seal before it stopped. */
  private sealLegacyStaged(isAlive: (pid: number) => boolean): void {
    const owners = (this.db.prepare('SELECT DISTINCT owner FROM staged').all() as { owner: string }[]).map((row) => row.owner);
    if (owners.length === 0) return;
    const of = this.db.prepare('SELECT n, time, input FROM staged WHERE owner = ? ORDER BY n LIMIT ?');
    const unstage = this.db.prepare('DELETE FROM staged WHERE owner = ? AND n <= ?');
    // One slice per transaction; true while the owner had rows left.
    const sealSlice = (owner: string): boolean => {
      const rows = of.all(owner, SEAL_SLICE) as { n: number; time: number; input: string }[];
      if (rows.length === 0) return false;
      this.link(
        rows.map((row) => stagedInput(row.input, row.time, true)),
        rows[0]!.time,
      );
      unstage.run(owner, rows[rows.length - 1]!.n);
      return true;
    };
    for (const owner of owners) {
      const pid = ownerPid(owner);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
      while (this.write(() => sealSlice(owner)));
    }
  }

  /** Chains `inputs` after the head; runs inside a write transaction. */
  private link(inputs: readonly AuditEventInput[], time: number): { events: AuditEvent[]; bytes: number } {
    let { seq, hash } = this.head();
    const events: AuditEvent[] = [];
    let bytes = 0;
    for (const input of inputs) {
      const { event, size } = this.seal(input, ++seq, time, hash);
      hash = event.hash;
      bytes += size;
      events.push(event);
    }
    return { events, bytes };
  }

  private seal(input: AuditEventInput, seq: number, writtenAt: number, prevHash: string): { event: AuditEvent; size: number } {
    const time = input.time ?? writtenAt;
    // Key order is fixed here and the stored text is what is hashed, so no canonical form is needed.
    const event = {
      id: this.eventId(time),
      seq,
      device: this.device,
      time,
      type: input.type,
      user: input.user,
      client: input.client,
      session: input.session,
      server: input.server,
      tool: input.tool,
      method: input.method,
      resource: input.resource,
      decision: input.decision,
      code: input.code,
      reason: input.reason,
      steps: input.steps,
      latencyMs: input.latencyMs,
      status: input.status,
      arguments: input.arguments,
      argumentsHash: input.argumentsHash,
      details: input.details,
      prevHash,
    };
    const body = JSON.stringify(event);
    const hash = sha256Hex(body);
    this.statements.insert.run(seq, event.id, time, input.type, input.user ?? null, input.client ?? null, input.session ?? null, input.server ?? null, input.tool ?? null, input.decision, body, hash);
    return { event: { ...event, hash } as AuditEvent, size: body.length };
  }

  /**
   * A UUIDv7 for an event at `time`. uuid's v7 draws a random counter whenever `msecs` is given, so
   * ids of one millisecond would sort randomly; here they count up, as RFC 9562 (6.2, method 1)
   * describes, and sort in the order they were written.
   */
  private eventId(time: number): string {
    const random = this.randomBytes();
    // A fresh millisecond starts the counter at a random point below 2^30, leaving room to count up.
    this.lastId.counter = time === this.lastId.time ? this.lastId.counter + 1 : ((random[0]! << 22) | (random[1]! << 14) | (random[2]! << 6) | (random[3]! >> 2)) >>> 0;
    this.lastId.time = time;
    return uuidv7({ msecs: time, seq: this.lastId.counter, random });
  }

  private randomBytes(): Uint8Array {
    if (this.randomAt + 16 > RANDOM_POOL_BYTES) {
      randomFillSync(this.random);
      this.randomAt = 0;
    }
    return this.random.subarray(this.randomAt, (this.randomAt += 16));
  }

  /** The last event's seq and hash: where the next event continues the chain. */
  head(): { seq: number; hash: string } {
    const row = this.statements.head.get() as { seq: number; hash: string } | undefined;
    if (row) return row;
    const checkpoint = this.lastCheckpoint();
    return checkpoint ? { seq: checkpoint.nextSeq - 1, hash: checkpoint.prevHash } : { seq: 0, hash: GENESIS_HASH };
  }

  lastCheckpoint(): Checkpoint | undefined {
    return this.statements.lastCheckpoint.get() as Checkpoint | undefined;
  }

  /** Stored rows after `seq` in chain order, as written (for `verify`, a slice at a time). */
  rowsAfter(seq: number, limit: number): EventRow[] {
    return this.statements.after.all(seq, limit) as EventRow[];
  }

  /** Up to `limit` events after `seq`, oldest first: the outbox's next batch, `tail`, exports. */
  after(seq: number, limit: number): AuditEvent[] {
    return this.rowsAfter(seq, limit).map(eventOf);
  }

  /** Newest first, filtered, in pages: the activity view and `gatehouse audit tail`. */
  page(query: AuditQuery = {}): AuditPage {
    const where: string[] = [];
    const values: (string | number)[] = [];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      values.push(value);
    };
    equal('server', query.server);
    equal('tool', query.tool);
    equal('client', query.client);
    equal('user', query.user);
    equal('decision', query.decision);
    equal('type', query.type);
    const bound = (clause: string, value: number | undefined) => {
      if (value === undefined) return;
      where.push(clause);
      values.push(value);
    };
    bound('time >= ?', query.since);
    bound('time <= ?', query.until);
    bound('seq < ?', query.before);
    if (query.text !== undefined && query.text !== '') {
      where.push("body LIKE ? ESCAPE '\\'");
      values.push(`%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const limit = Math.min(Math.max(1, query.limit ?? 50), MAX_PAGE);
    const sql = `SELECT * FROM events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...values, limit + 1) as EventRow[];
    const events = rows.slice(0, limit).map(eventOf);
    return rows.length > limit ? { events, next: events[events.length - 1]!.seq } : { events };
  }

  stats(): { events: number; firstSeq: number | undefined; lastSeq: number; bytes: number } {
    const row = this.db.prepare('SELECT count(*) AS n, min(seq) AS first FROM events').get() as { n: number; first: number | null };
    return { events: row.n, firstSeq: row.first ?? undefined, lastSeq: this.head().seq, bytes: this.sizeBytes() };
  }

  /** Bytes the database occupies (its pages; free pages are reused before the file grows). */
  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * (this.db.pragma('page_size', { simple: true }) as number);
  }

  outbox(): OutboxRow {
    const row = this.statements.outbox.get() as Record<string, number | string | null>;
    const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return {
      ackedSeq: row['acked_seq'] as number,
      lastSuccess: num(row['last_success']),
      lastAttempt: num(row['last_attempt']),
      lastError: str(row['last_error']),
      lastErrorAt: num(row['last_error_at']),
      parked: row['parked'] === 1,
      leaseOwner: str(row['lease_owner']),
      leaseUntil: num(row['lease_until']),
    };
  }

  /** Events not yet acknowledged by the collector, and their size. */
  pending(): { events: number; bytes: number; oldest: number | undefined } {
    const row = this.db
      .prepare('SELECT count(*) AS n, coalesce(sum(length(body)), 0) AS bytes, min(time) AS oldest FROM events WHERE seq > (SELECT acked_seq FROM outbox WHERE id = 1)')
      .get() as { n: number; bytes: number; oldest: number | null };
    return { events: row.n, bytes: row.bytes, oldest: row.oldest ?? undefined };
  }

  /** The stored size of the events after `afterSeq` up to and including `upToSeq`. */
  bodyBytes(afterSeq: number, upToSeq: number): number {
    return (this.db.prepare('SELECT coalesce(sum(length(body)), 0) AS bytes FROM events WHERE seq > ? AND seq <= ?').get(afterSeq, upToSeq) as { bytes: number }).bytes;
  }

  /**
   * Takes the right to ship for `ms` (renewable by the same owner). One process ships at a time,
   * so two never send the same batch; a holder that died loses the lease when it expires.
   */
  tryLease(owner: string, now: number, ms: number): boolean {
    return this.write(() => {
      const { leaseOwner, leaseUntil } = this.outbox();
      if (leaseOwner !== undefined && leaseOwner !== owner && leaseUntil !== undefined && leaseUntil > now) return false;
      this.db.prepare('UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = 1').run(owner, now + ms);
      return true;
    });
  }

  releaseLease(owner: string): void {
    this.write(() => this.db.prepare('UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE id = 1 AND lease_owner = ?').run(owner));
  }

  /** The collector took everything up to `seq`. Never moves backwards. */
  acknowledge(seq: number, now: number): void {
    this.write(() =>
      this.db.prepare('UPDATE outbox SET acked_seq = max(acked_seq, ?), last_success = ?, last_attempt = ?, last_error = NULL, last_error_at = NULL, parked = 0 WHERE id = 1').run(seq, now, now),
    );
  }

  recordFailure(message: string, parked: boolean, now: number): void {
    this.write(() =>
      this.db.prepare('UPDATE outbox SET last_attempt = ?, last_error = ?, last_error_at = ?, parked = ? WHERE id = 1').run(now, message.slice(0, 2_000), now, parked ? 1 : 0),
    );
  }

  /** Lets a parked outbox try again (`gatehouse audit sync --now`, a restart, a changed sink). */
  unpark(): void {
    this.write(() => this.db.prepare('UPDATE outbox SET parked = 0 WHERE id = 1').run());
  }

  /**
   * Deletes the oldest events that are both past retention and safe to lose (acknowledged by the
   * collector, or `deletable` up to the head when there is no collector), recording where the chain
   * continues. Returns how many were deleted.
   */
  applyRetention(options: { olderThan: number; maxBytes: number; deletableUpTo: number; now: number }): number {
    let deleted = 0;
    const byAge = this.db.prepare('SELECT max(seq) AS seq FROM events WHERE time < ? AND seq <= ?').get(options.olderThan, options.deletableUpTo) as { seq: number | null };
    if (byAge.seq !== null) deleted += this.deleteThrough(byAge.seq, 'older than the retention period', options.now);
    // By size: a slice of 200 at a time, oldest first, until under the cap or nothing more may go.
    while (this.sizeBytes() > options.maxBytes) {
      const slice = this.db.prepare('SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT 1 OFFSET 199').get(options.deletableUpTo) as { seq: number } | undefined;
      const last = slice?.seq ?? (this.db.prepare('SELECT max(seq) AS seq FROM events WHERE seq <= ?').get(options.deletableUpTo) as { seq: number | null }).seq;
      if (last === null || last === undefined) break;
      const n = this.deleteThrough(last, 'over the retention size', options.now);
      if (n === 0) break;
      deleted += n;
    }
    if (deleted > 0) this.db.pragma('incremental_vacuum');
    return deleted;
  }

  private deleteThrough(seq: number, reason: string, now: number): number {
    return this.write(() => {
      const last = this.db.prepare('SELECT hash FROM events WHERE seq = ?').get(seq) as { hash: string } | undefined;
      if (!last) return 0;
      const { changes } = this.db.prepare('DELETE FROM events WHERE seq <= ?').run(seq);
      if (changes === 0) return 0;
      this.db.prepare('INSERT INTO checkpoints (next_seq, prev_hash, deleted, time, reason) VALUES (?, ?, ?, ?, ?)').run(seq + 1, last.hash, changes, now, reason);
      return changes;
    });
  }

  private write<T>(fn: () => T): T {
    try {
      return this.transaction.immediate(fn) as T;
    } catch (error) {
      throw new AuditStoreError(storeFailure(error, this.file), { cause: error });
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The event a row holds, from its body (the hashed text); `verify` is what checks it. */
export function eventOf(row: EventRow): AuditEvent {
  return { ...(JSON.parse(row.body) as Omit<AuditEvent, 'hash'>), hash: row.hash };
}

/**
 * A staged event as recorded. Only Gatehouse writes staged events, but whoever can edit its files
 * can edit them too: one that does not read back as an event is sealed as a gap, never dropped
 * silently. `strict` (what a dead process left, read by another) checks it against the event schema
 * in full; this process's own journal, written moments ago, gets the cheap check on the hot path.
 */
function stagedInput(text: string, time: number, strict: boolean): AuditEventInput {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    input = undefined;
  }
  let event: AuditEventInput | undefined;
  if (strict) {
    const parsed = auditEventInputSchema.safeParse(input);
    event = parsed.success ? parsed.data : undefined;
  } else if (typeof input === 'object' && input !== null && typeof (input as AuditEventInput).type === 'string' && typeof (input as AuditEventInput).decision === 'string') {
    event = input as AuditEventInput;
  }
  if (event === undefined) return unreadable(time, 'a staged event could not be read back (the audit log was edited or damaged)');
  if (typeof event.time !== 'number') event.time = time;
  return event;
}

/** Whether `file` is gone now (removed, or already missing). */
function removeFile(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function unreadable(time: number, reason: string): AuditEventInput {
  return { type: 'audit.gap', decision: 'recorded', time, reason, details: { unreadable: 1 } };
}

/**
 * Switching a new log to WAL takes an exclusive lock, and while another process is doing the same
 * SQLite answers SQLITE_BUSY at once, without waiting out the busy timeout. Several Gatehouse
 * processes may create the log together (the broker, `gatehouse login`), so this waits as a busy
 * timeout would. Opening is synchronous anyway, so the wait blocks only what would block regardless.
 */
function enterWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(50, 2 ** attempt));
    }
  }
}
