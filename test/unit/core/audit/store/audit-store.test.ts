import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { auditEventSchema, type AuditEvent } from '../../../../../common/audit-event.js';
import { GENESIS_HASH } from '../../../../../main/core/audit/store/audit-store.js';
import { verifyChain } from '../../../../../main/core/audit/store/verify-chain.js';
import { appendFromProcesses } from '../../../../fixtures/audit/appenders.js';
import { callInput, callInputs, closeLater, openStore, tempAuditFile, tempStore } from '../../../../fixtures/audit/temp-store.js';

const T0 = 1_767_225_600_000; // 2026-01-01
const DAY = 86_400_000;
/** A pid no process has: what a killed writer looks like. */
const DEAD_PID = 999_999_999;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function assertChained(events: readonly AuditEvent[], from = GENESIS_HASH): void {
  let prev = from;
  for (const event of events) {
    assert.equal(event.prevHash, prev, `event ${event.seq} continues the one before`);
    prev = event.hash;
  }
}

test('append numbers events 1..n, gives each a UUIDv7 id that increases with seq, and chains them from the genesis hash', async (t) => {
  const store = await tempStore(t);
  const first = store.append(callInputs(5), T0).events;
  const second = store.append(callInputs(5, 6), T0 + 1).events;
  const events = [...first, ...second];
  assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  for (const event of events) {
    assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'version 7, RFC variant');
    assert.equal(event.device, store.device);
    assert.doesNotThrow(() => auditEventSchema.parse(event));
  }
  // Events written in the same millisecond too: sorting by id gives the order they were written in.
  const ids = events.map((e) => e.id);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  // The id's first 48 bits are the event's time.
  assert.equal(parseInt(events[0]!.id.replaceAll('-', '').slice(0, 12), 16), T0);
  assertChained(events);
  assert.deepEqual(store.head(), { seq: 10, hash: events[9]!.hash });
});

test('each event is stored as the text it was hashed from, and reads back exactly as append returned it', async (t) => {
  const store = await tempStore(t);
  const { events, bytes } = store.append([callInput(1, { user: 'alice', arguments: { q: 'x' }, argumentsHash: 'a'.repeat(64) })], T0);
  const rows = store.rowsAfter(0, 1_000_000);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.hash, sha256(rows[0]!.body));
  assert.equal(bytes, rows[0]!.body.length);
  // Read back as stored: the same event, without the keys the input left undefined.
  assert.deepEqual(store.after(0, 10), JSON.parse(JSON.stringify(events)));
  assert.equal(events[0]!.user, 'alice');
  assert.equal(events[0]!.time, T0, 'stamped with the time of writing when the input has none');
  assert.equal(store.append([callInput(2, { time: T0 - 5_000 })], T0).events[0]!.time, T0 - 5_000);
});

test('two connections on one file appending in turn keep one unbroken chain', async (t) => {
  const file = await tempAuditFile(t);
  const a = openStore(file);
  const b = openStore(file);
  assert.equal(a.device, b.device);
  for (let round = 0; round < 10; round++) {
    a.append(callInputs(3, round * 10), T0 + round);
    b.append(callInputs(2, round * 10 + 5), T0 + round);
  }
  const events = a.after(0, 100);
  assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 50 }, (_, i) => i + 1));
  assertChained(events);
  assert.deepEqual(verifyChain(b), { ok: true, checked: 50, firstSeq: 1, lastSeq: 50, from: 'genesis' });
});

test('several processes appending at once keep one unbroken chain with no seq taken twice', async (t) => {
  const file = await tempAuditFile(t);
  const seqs = await appendFromProcesses(file, 3, 40);
  assert.deepEqual(seqs.flat().sort((x, y) => x - y), Array.from({ length: 120 }, (_, i) => i + 1));
  const store = openStore(file, { readonly: true });
  assert.equal(verifyChain(store).ok, true);
  assert.equal(verifyChain(store).checked, 120);
});

test('page filters by server, tool, client, user, decision, type and time', async (t) => {
  const store = await tempStore(t);
  store.append(
    [
      callInput(1, { time: T0, server: 'github', tool: 'search', client: 'cursor', user: 'alice' }),
      callInput(2, { time: T0 + 1_000, server: 'github', tool: 'create_issue', client: 'claude', user: 'bob', decision: 'denied' }),
      callInput(3, { time: T0 + 2_000, server: 'jira', tool: 'search', client: 'cursor', user: 'alice', decision: 'redacted' }),
      { type: 'session.opened', decision: 'recorded', time: T0 + 3_000, client: 'claude' },
    ],
    T0 + 5_000,
  );
  const seqs = (query: Parameters<typeof store.page>[0]) => store.page(query).events.map((e) => e.seq);
  assert.deepEqual(seqs({}), [4, 3, 2, 1], 'newest first');
  assert.deepEqual(seqs({ server: 'github' }), [2, 1]);
  assert.deepEqual(seqs({ tool: 'search' }), [3, 1]);
  assert.deepEqual(seqs({ server: 'github', tool: 'search' }), [1]);
  assert.deepEqual(seqs({ client: 'claude' }), [4, 2]);
  assert.deepEqual(seqs({ user: 'alice' }), [3, 1]);
  assert.deepEqual(seqs({ decision: 'denied' }), [2]);
  assert.deepEqual(seqs({ type: 'session.opened' }), [4]);
  assert.deepEqual(seqs({ since: T0 + 1_000 }), [4, 3, 2], 'since is inclusive');
  assert.deepEqual(seqs({ until: T0 + 1_000 }), [2, 1], 'until is inclusive');
  assert.deepEqual(seqs({ since: T0 + 1_000, until: T0 + 2_000 }), [3, 2]);
  assert.deepEqual(seqs({ server: 'nothing' }), []);
});

test('page text search takes %, _ and backslash literally', async (t) => {
  const store = await tempStore(t);
  store.append(
    [
      callInput(1, { reason: 'disk at 100% full' }),
      callInput(2, { reason: 'disk at 1000 full' }),
      callInput(3, { reason: 'see file_name here' }),
      callInput(4, { reason: 'see fileXname here' }),
      callInput(5, { reason: 'path C:\\temp' }),
    ],
    T0,
  );
  const seqs = (text: string) => store.page({ text }).events.map((e) => e.seq);
  assert.deepEqual(seqs('100%'), [1]);
  assert.deepEqual(seqs('%'), [1]);
  assert.deepEqual(seqs('file_name'), [3]);
  assert.deepEqual(seqs('_'), [3], 'an underscore is an underscore, not any character');
  assert.deepEqual(seqs('C:\\\\temp'), [5], 'a backslash (escaped in the JSON body) matches itself');
  assert.deepEqual(seqs('DISK AT'), [2, 1], 'case-insensitive, as LIKE is for ASCII');
  assert.deepEqual(seqs(''), [5, 4, 3, 2, 1], 'empty text filters nothing');
});

test('keyset paging walks 3 pages newest first with no overlap and no gap, also with a filter', async (t) => {
  const store = await tempStore(t);
  store.append(Array.from({ length: 25 }, (_, i) => callInput(i, { server: i % 2 === 0 ? 'even' : 'odd' })), T0);
  const walk = (query: Parameters<typeof store.page>[0]): number[][] => {
    const pages: number[][] = [];
    let before: number | undefined;
    do {
      const page = store.page({ ...query, limit: 10, ...(before === undefined ? {} : { before }) });
      pages.push(page.events.map((e) => e.seq));
      before = page.next;
      // Appending between pages must not shift the pages already started (keyset, not offset).
      if (pages.length === 1) store.append([callInput(99, { server: 'even' })], T0);
    } while (before !== undefined && pages.length < 10);
    return pages;
  };
  const all = walk({});
  assert.deepEqual(all.map((p) => p.length), [10, 10, 5]);
  assert.deepEqual(all.flat(), Array.from({ length: 25 }, (_, i) => 25 - i));

  const even = walk({ server: 'even' }).flat();
  const evenSeqs = store.after(0, 100).filter((e) => e.server === 'even' && e.seq <= 26).map((e) => e.seq).reverse();
  assert.deepEqual(even, evenSeqs);
  assert.equal(new Set(even).size, even.length);
});

test('page limits are clamped to 1..500', async (t) => {
  const store = await tempStore(t);
  store.append(callInputs(3), T0);
  assert.equal(store.page({ limit: 0 }).events.length, 1);
  assert.equal(store.page({ limit: -5 }).events.length, 1);
  store.append(callInputs(600, 4), T0);
  assert.equal(store.page({ limit: 10_000 }).events.length, 500);
});

test('stats and pending count events, bytes and the oldest unacknowledged one', async (t) => {
  const store = await tempStore(t);
  assert.deepEqual(store.pending(), { events: 0, bytes: 0, oldest: undefined });
  assert.deepEqual({ ...store.stats(), bytes: 0 }, { events: 0, firstSeq: undefined, lastSeq: 0, bytes: 0 });
  const { bytes } = store.append(callInputs(10).map((input, i) => ({ ...input, time: T0 + i })), T0 + 100);
  assert.deepEqual(store.pending(), { events: 10, bytes, oldest: T0 });
  store.acknowledge(4, T0 + 200);
  const after4 = store.rowsAfter(0, 1_000_000).filter((row) => row.seq > 4).reduce((sum, row) => sum + row.body.length, 0);
  assert.deepEqual(store.pending(), { events: 6, bytes: after4, oldest: T0 + 4 });
  const stats = store.stats();
  assert.equal(stats.events, 10);
  assert.equal(stats.firstSeq, 1);
  assert.equal(stats.lastSeq, 10);
  assert.ok(stats.bytes >= bytes, `the database (${stats.bytes} B) holds at least the bodies (${bytes} B)`);
});

test('the lease: a second owner is refused while it is valid, the holder renews it, and anyone gets it after expiry or release', async (t) => {
  const store = await tempStore(t);
  assert.equal(store.tryLease('a', T0, 1_000), true);
  assert.deepEqual([store.outbox().leaseOwner, store.outbox().leaseUntil], ['a', T0 + 1_000]);
  assert.equal(store.tryLease('b', T0 + 999, 1_000), false);
  assert.equal(store.tryLease('a', T0 + 500, 1_000), true, 'the holder renews');
  assert.equal(store.tryLease('b', T0 + 1_400, 1_000), false, 'renewed until T0 + 1500');
  assert.equal(store.tryLease('b', T0 + 1_500, 1_000), true, 'expired');
  assert.equal(store.outbox().leaseOwner, 'b');
  store.releaseLease('a');
  assert.equal(store.outbox().leaseOwner, 'b', 'only the holder releases its lease');
  store.releaseLease('b');
  assert.deepEqual([store.outbox().leaseOwner, store.outbox().leaseUntil], [undefined, undefined]);
  assert.equal(store.tryLease('c', T0 + 1_600, 1_000), true);
});

test('the lease is shared by every connection to the file', async (t) => {
  const file = await tempAuditFile(t);
  const a = openStore(file);
  const b = openStore(file);
  assert.equal(a.tryLease('a', T0, 60_000), true);
  assert.equal(b.tryLease('b', T0 + 1, 60_000), false);
});

test('acknowledge never moves backwards, and records success over an earlier failure', async (t) => {
  const store = await tempStore(t);
  store.append(callInputs(10), T0);
  store.recordFailure('the collector answered 400', true, T0 + 1);
  assert.deepEqual(
    { ...store.outbox(), leaseOwner: undefined, leaseUntil: undefined },
    { ackedSeq: 0, lastSuccess: undefined, lastAttempt: T0 + 1, lastError: 'the collector answered 400', lastErrorAt: T0 + 1, parked: true, leaseOwner: undefined, leaseUntil: undefined },
  );
  store.acknowledge(7, T0 + 2);
  store.acknowledge(3, T0 + 3);
  const state = store.outbox();
  assert.equal(state.ackedSeq, 7);
  assert.equal(state.lastSuccess, T0 + 3);
  assert.equal(state.lastError, undefined);
  assert.equal(state.parked, false);
  assert.equal(store.pending().events, 3);
});

test('unpark lets a parked outbox try again and keeps its last error for status', async (t) => {
  const store = await tempStore(t);
  store.recordFailure('x'.repeat(5_000), true, T0);
  assert.equal(store.outbox().lastError!.length, 2_000, 'a long error is cut');
  store.unpark();
  assert.equal(store.outbox().parked, false);
  assert.equal(store.outbox().lastError, 'x'.repeat(2_000));
});

test('retention by age deletes only old events the collector acknowledged, writes a checkpoint, and the chain still verifies', async (t) => {
  const store = await tempStore(t);
  // Events 1-10 are 100 days old, 11-20 one day old.
  store.append(Array.from({ length: 20 }, (_, i) => callInput(i, { time: i < 10 ? T0 - 100 * DAY : T0 - DAY })), T0);
  const seven = store.after(6, 1)[0]!;
  const deleted = store.applyRetention({ olderThan: T0 - 90 * DAY, maxBytes: Number.MAX_SAFE_INTEGER, deletableUpTo: 7, now: T0 });
  assert.equal(deleted, 7, 'events 8-10 are old but not acknowledged');
  assert.equal(store.stats().firstSeq, 8);
  assert.deepEqual(store.lastCheckpoint(), { nextSeq: 8, prevHash: seven.hash, deleted: 7, time: T0, reason: 'older than the retention period' });
  assert.deepEqual(verifyChain(store), { ok: true, checked: 13, firstSeq: 8, lastSeq: 20, from: 'checkpoint' });

  assert.equal(store.applyRetention({ olderThan: T0 - 90 * DAY, maxBytes: Number.MAX_SAFE_INTEGER, deletableUpTo: 20, now: T0 + 1 }), 3);
  assert.equal(store.stats().firstSeq, 11, 'recent events stay though acknowledged');
  assert.equal(store.applyRetention({ olderThan: T0 - 90 * DAY, maxBytes: Number.MAX_SAFE_INTEGER, deletableUpTo: 20, now: T0 + 2 }), 0, 'nothing more to do');
  assert.equal(verifyChain(store).ok, true);
});

test('retention by size deletes the oldest acknowledged events until under the cap, never unacknowledged ones', async (t) => {
  const store = await tempStore(t);
  const big = 'x'.repeat(1_000);
  for (let batch = 0; batch < 10; batch++) store.append(Array.from({ length: 300 }, (_, i) => callInput(batch * 300 + i, { reason: big })), T0);
  const size = store.sizeBytes();
  assert.ok(size > 3_000_000, `3,000 events of 1 kB (${size} B)`);

  // Only the first 1,000 may go: the cap cannot be met, and the others stay.
  const deleted = store.applyRetention({ olderThan: 0, maxBytes: 100_000, deletableUpTo: 1_000, now: T0 });
  assert.equal(deleted, 1_000);
  assert.equal(store.stats().firstSeq, 1_001);
  assert.equal(store.stats().events, 2_000);
  assert.equal(store.lastCheckpoint()?.reason, 'over the retention size');
  assert.equal(store.lastCheckpoint()?.nextSeq, 1_001);
  assert.equal(verifyChain(store).ok, true);
  assert.ok(store.sizeBytes() < size, 'the space is given back');

  // Everything acknowledged: deletes until under the cap, oldest first (a slice of 1,000 at a time).
  const cap = 3_000_000;
  store.applyRetention({ olderThan: 0, maxBytes: cap, deletableUpTo: 3_000, now: T0 + 1 });
  assert.ok(store.sizeBytes() <= cap, `${store.sizeBytes()} B is under the cap`);
  assert.ok(store.stats().events > 0, 'not more than needed');
  assert.equal(store.stats().lastSeq, 3_000);
  assert.equal(verifyChain(store).ok, true);
  assert.equal(verifyChain(store).from, 'checkpoint');
});

test('appends after retention deleted every event continue the seq and the chain from the checkpoint', async (t) => {
  const store = await tempStore(t);
  const old = store.append(callInputs(5).map((input) => ({ ...input, time: T0 - 100 * DAY })), T0).events;
  assert.equal(store.applyRetention({ olderThan: T0, maxBytes: Number.MAX_SAFE_INTEGER, deletableUpTo: 5, now: T0 }), 5);
  assert.equal(store.stats().events, 0);
  assert.deepEqual(store.head(), { seq: 5, hash: old[4]!.hash });
  assert.equal(store.stats().lastSeq, 5);

  const next = store.append(callInputs(2, 6), T0 + 1).events;
  assert.deepEqual(next.map((e) => e.seq), [6, 7]);
  assert.equal(next[0]!.prevHash, old[4]!.hash);
  assert.deepEqual(verifyChain(store), { ok: true, checked: 2, firstSeq: 6, lastSeq: 7, from: 'checkpoint' });
});

test('a staged line that does not read back as an event (not JSON, or not an event by the schema) is sealed as a gap, not dropped', async (t) => {
  const file = await tempAuditFile(t);
  const writer = openStore(file);
  const journal = closeLater(file, writer.openJournal(DEAD_PID));
  writer.stage(journal, [callInput(1)], 1_000);
  appendFileSync(journal.file, '{not json\n');
  appendFileSync(journal.file, `${JSON.stringify({ ...callInput(9), user: 42 })}\n`);
  const rest = closeLater(file, writer.openJournal(DEAD_PID));
  writer.stage(rest, [callInput(2)], 1_000 + 2);
  openStore(file, { isAlive: () => false });
  const events = openStore(file, { readonly: true }).after(0, 10);
  assert.deepEqual(
    events.map((e) => [e.type, e.reason?.split(' (')[0]]).sort(([, a], [, b]) => String(a).localeCompare(String(b))),
    [
      ['audit.gap', 'a staged event could not be read back'],
      ['audit.gap', 'a staged event could not be read back'],
      ['tool.call', 'call 1'],
      ['tool.call', 'call 2'],
    ],
  );
  assert.equal(verifyChain(openStore(file, { readonly: true })).ok, true);
});

test('rows an older Gatehouse staged in the staged table are still sealed when their process is gone, unreadable ones as gaps', async (t) => {
  const file = await tempAuditFile(t);
  openStore(file);
  const raw = closeLater(file, new Database(file));
  const stage = raw.prepare('INSERT INTO staged (owner, time, input) VALUES (?, ?, ?)');
  stage.run(`${DEAD_PID}:old`, 1_000, JSON.stringify(callInput(1)));
  stage.run(`${DEAD_PID}:old`, 1_001, '{not json');
  stage.run(`${process.pid}:alive`, 1_002, JSON.stringify(callInput(3)));
  openStore(file);
  const events = openStore(file, { readonly: true }).after(0, 10);
  assert.deepEqual(events.map((e) => [e.type, e.reason?.split(' (')[0], e.time]), [
    ['tool.call', 'call 1', 1_000],
    ['audit.gap', 'a staged event could not be read back', 1_001],
  ]);
  assert.equal(openStore(file, { readonly: true }).stagedCount(), 1, 'a running process keeps its rows');
});
