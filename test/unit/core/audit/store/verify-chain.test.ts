// `gatehouse audit verify` against the tampering it exists to catch, done the way someone with the
// database file would: plain SQL on a second connection.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import type { AuditStore } from '../../../../../main/core/audit/store/audit-store.js';
import { verifyChain, type BreakKind } from '../../../../../main/core/audit/store/verify-chain.js';
import { callInputs, closeLater, openStore, tempAuditFile } from '../../../../fixtures/audit/temp-store.js';

const T0 = 1_767_225_600_000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A log of `count` events and a second, raw connection to tamper with it. */
async function logOf(t: TestContext, count: number): Promise<{ store: AuditStore; sql: Database.Database }> {
  const file = await tempAuditFile(t);
  const store = openStore(file);
  store.append(callInputs(count), T0);
  return { store, sql: closeLater(file, new Database(file)) };
}

function assertBreak(store: AuditStore, kind: BreakKind, seq: number, message: RegExp): void {
  const report = verifyChain(store);
  assert.equal(report.ok, false, 'the tampering is caught');
  assert.deepEqual({ kind: report.break!.kind, seq: report.break!.seq }, { kind, seq }, report.break!.message);
  assert.match(report.break!.message, message);
  assert.equal(report.checked, seq - 1, 'the events before the break check out');
}

test('a clean log verifies from the genesis hash', async (t) => {
  const { store } = await logOf(t, 10);
  assert.deepEqual(verifyChain(store), { ok: true, checked: 10, firstSeq: 1, lastSeq: 10, from: 'genesis' });
});

test('an empty log verifies', async (t) => {
  const { store } = await logOf(t, 0);
  assert.deepEqual(verifyChain(store), { ok: true, checked: 0, firstSeq: undefined, lastSeq: undefined, from: 'genesis' });
});

test('an edited row is caught as edited at its seq', async (t) => {
  const { store, sql } = await logOf(t, 10);
  sql.prepare("UPDATE events SET body = replace(body, '\"decision\":\"allowed\"', '\"decision\":\"denied\"') WHERE seq = 4").run();
  assertBreak(store, 'edited', 4, /^event 4 was changed after it was written: its content does not match its hash$/);
});

test('an edited query column alone (the body untouched) is caught', async (t) => {
  const { store, sql } = await logOf(t, 10);
  sql.prepare("UPDATE events SET tool = 'delete_repository' WHERE seq = 6").run();
  assertBreak(store, 'edited', 6, /event 6 .* its tool column no longer matches its content/);
});

test('a row with an edited time column is caught too', async (t) => {
  const { store, sql } = await logOf(t, 3);
  sql.prepare('UPDATE events SET time = time - 86400000 WHERE seq = 2').run();
  assertBreak(store, 'edited', 2, /its time column/);
});

test('a deleted row is caught as deleted with the missing seq', async (t) => {
  const { store, sql } = await logOf(t, 10);
  sql.prepare('DELETE FROM events WHERE seq = 5').run();
  assertBreak(store, 'deleted', 5, /^event 5 is missing: deleted from the log outside retention$/);
});

test('several deleted rows are reported as the range that is missing', async (t) => {
  const { store, sql } = await logOf(t, 10);
  sql.prepare('DELETE FROM events WHERE seq BETWEEN 3 AND 7').run();
  assertBreak(store, 'deleted', 3, /^events 3 to 7 are missing/);
});

test('deleting the last rows is caught once the collector has acknowledged them', async (t) => {
  const { store, sql } = await logOf(t, 10);
  store.acknowledge(8, T0);
  sql.prepare('DELETE FROM events WHERE seq >= 7').run();
  assertBreak(store, 'deleted', 7, /^events 7 to 8 are missing from the end of the log, though the collector acknowledged them/);

  const one = await logOf(t, 10);
  one.store.acknowledge(10, T0);
  one.sql.prepare('DELETE FROM events WHERE seq = 10').run();
  assertBreak(one.store, 'deleted', 10, /^event 10 is missing from the end/);
});

test('a log that ends after everything the collector acknowledged verifies', async (t) => {
  const { store } = await logOf(t, 10);
  store.acknowledge(10, T0);
  assert.equal(verifyChain(store).ok, true);
});

test('deleting the first rows without a retention checkpoint is caught', async (t) => {
  const { store, sql } = await logOf(t, 5);
  sql.prepare('DELETE FROM events WHERE seq <= 2').run();
  assertBreak(store, 'deleted', 1, /events 1 to 2 are missing/);
});

test('two rows swapped (their seq values exchanged) are caught as reordered', async (t) => {
  const { store, sql } = await logOf(t, 10);
  sql.transaction(() => {
    sql.prepare('UPDATE events SET seq = -1 WHERE seq = 3').run();
    sql.prepare('UPDATE events SET seq = 3 WHERE seq = 4').run();
    sql.prepare('UPDATE events SET seq = 4 WHERE seq = -1').run();
  })();
  assertBreak(store, 'reordered', 3, /event 4 was moved to position 3/);
});

test('a row rewritten with its hash recomputed is caught at the next row, whose link no longer matches', async (t) => {
  const { store, sql } = await logOf(t, 10);
  const { body } = sql.prepare('SELECT body FROM events WHERE seq = 5').get() as { body: string };
  const forged = body.replace('"reason":"call 5"', '"reason":"nothing to see"');
  assert.notEqual(forged, body);
  sql.prepare('UPDATE events SET body = ?, hash = ? WHERE seq = 5').run(forged, sha256(forged));
  assertBreak(store, 'reordered', 6, /^event 6 does not follow event 5: an event before it was edited, replaced or moved/);
});

test('a row whose body is not JSON (hash recomputed) is reported as malformed', async (t) => {
  const { store, sql } = await logOf(t, 3);
  sql.prepare("UPDATE events SET body = 'not json', hash = ? WHERE seq = 2").run(sha256('not json'));
  assertBreak(store, 'malformed', 2, /event 2 is not valid JSON/);
});

test('a row copied from another device is caught', async (t) => {
  const { store, sql } = await logOf(t, 3);
  const { body } = sql.prepare('SELECT body FROM events WHERE seq = 2').get() as { body: string };
  const foreign = body.replace(store.device, '00000000-0000-4000-8000-000000000000');
  sql.prepare('UPDATE events SET body = ?, hash = ? WHERE seq = 2').run(foreign, sha256(foreign));
  assertBreak(store, 'edited', 2, /belongs to another device's log/);
});

test('100,000 events verify in well under 20 s', async (t) => {
  const file = await tempAuditFile(t);
  const store = openStore(file);
  for (let from = 1; from <= 100_000; from += 10_000) store.append(callInputs(10_000, from), T0);
  const started = performance.now();
  const report = verifyChain(store);
  const ms = performance.now() - started;
  t.diagnostic(`verified 100,000 events in ${ms.toFixed(0)} ms`);
  assert.deepEqual(report, { ok: true, checked: 100_000, firstSeq: 1, lastSeq: 100_000, from: 'genesis' });
  assert.ok(ms < 20_000, `took ${ms.toFixed(0)} ms`);

  const sql = closeLater(file, new Database(file));
  sql.prepare("UPDATE events SET client = 'evil' WHERE seq = 99999").run();
  assertBreak(store, 'edited', 99_999, /client column/);
});
