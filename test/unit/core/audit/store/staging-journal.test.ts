import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { journalDirectory, listJournals, readJournal, StagingJournal } from '../../../../../main/core/audit/store/staging-journal.js';
import { verifyChain } from '../../../../../main/core/audit/store/verify-chain.js';
import { appendFromProcesses } from '../../../../fixtures/audit/appenders.js';
import { callInputs, closeLater, openStore, tempAuditFile } from '../../../../fixtures/audit/temp-store.js';

const DEAD_PID = 999_999_999;
const child = fileURLToPath(new URL('../../../../fixtures/audit/journal-limit-child.ts', import.meta.url));
const repo = fileURLToPath(new URL('../../../../..', import.meta.url));

test('a journal is a user-only file of one JSON line per event, named for its process, read back in slices', async (t) => {
  const file = await tempAuditFile(t);
  const journal = closeLater(file, StagingJournal.create(file));
  assert.equal(listJournals(file).length, 1);
  const [listed] = listJournals(file);
  assert.deepEqual({ name: listed!.name, file: listed!.file, pid: listed!.pid }, { name: journal.name, file: journal.file, pid: process.pid });
  assert.equal(statSync(journal.file).mode & 0o777, 0o600);
  assert.equal(statSync(journalDirectory(file)).mode & 0o777, 0o700);

  journal.append(callInputs(3), 1_000);
  journal.append(callInputs(2, 4), 2_000);
  assert.equal(journal.size, statSync(journal.file).size);
  const first = readJournal(journal.file, 0, 4)!;
  assert.equal(first.lines.length, 4);
  assert.deepEqual(first.lines.map((line) => (JSON.parse(line) as { reason: string; time: number }).time), [1_000, 1_000, 1_000, 2_000], 'stamped with the batch time');
  assert.equal(first.more, true);
  const rest = readJournal(journal.file, first.end, 4)!;
  assert.deepEqual(rest.lines.map((line) => (JSON.parse(line) as { reason: string }).reason), ['call 5']);
  assert.deepEqual({ more: rest.more, end: rest.end, fragment: rest.fragment }, { more: false, end: journal.size, fragment: 0 });
  assert.equal(readJournal(`${journal.file}.gone`, 0, 1), undefined);
});

test('the journal of a process that died is sealed by the next writer, exactly once, and then removed', async (t) => {
  const file = await tempAuditFile(t);
  const writer = openStore(file);
  const journal = closeLater(file, writer.openJournal(DEAD_PID));
  writer.stage(journal, callInputs(5), 1_000);
  // It had sealed the first two itself before it died.
  assert.equal(writer.sealJournal(journal, 2).events.length, 2);
  writer.stage(journal, callInputs(3, 6), 2_000);
  assert.equal(openStore(file, { readonly: true }).stagedCount(), 6);

  openStore(file);
  const events = openStore(file, { readonly: true }).after(0, 100);
  assert.deepEqual(events.map((e) => e.reason), callInputs(8).map((e) => e.reason));
  assert.deepEqual(events.map((e) => e.time), [1_000, 1_000, 1_000, 1_000, 1_000, 2_000, 2_000, 2_000]);
  assert.deepEqual(listJournals(file), [], 'removed once sealed');
  assert.equal(openStore(file, { readonly: true }).stagedCount(), 0);
  openStore(file);
  assert.equal(openStore(file, { readonly: true }).after(0, 100).length, 8, 'nothing sealed twice');
  assert.equal(verifyChain(openStore(file, { readonly: true })).ok, true);
});

test('a last line cut short by a writer that died mid-write is sealed as a gap after the complete ones', async (t) => {
  const file = await tempAuditFile(t);
  const writer = openStore(file);
  const journal = closeLater(file, writer.openJournal(DEAD_PID));
  writer.stage(journal, callInputs(2), 1_000);
  const cut = '{"type":"tool.call","decis';
  appendFileSync(journal.file, cut);
  assert.equal(readJournal(journal.file, 0, 10)!.fragment, cut.length);
  openStore(file);
  const events = openStore(file, { readonly: true }).after(0, 10);
  assert.deepEqual(events.map((e) => [e.type, e.reason]), [
    ['tool.call', 'call 1'],
    ['tool.call', 'call 2'],
    ['audit.gap', 'the last staged event was cut short when the process writing it stopped'],
  ]);
  assert.deepEqual(events[2]!.details, { unreadable: 1 });
});

test('a journal whose file cannot grow (a real EFBIG, under ulimit -f: 64 KiB, room for the database\'s shared-memory file) fails with condition full and keeps only whole lines', async (t) => {
  const file = await tempAuditFile(t);
  openStore(file).close();
  const { stdout } = await promisify(execFile)('bash', ['-c', 'ulimit -f 64 && exec "$0" --import tsx "$1" "$2"', process.execPath, child, file], { cwd: repo, timeout: 30_000 });
  const seen = JSON.parse(stdout) as { staged: number; size: number; file: string; condition: string; message: string };
  assert.equal(seen.condition, 'full');
  assert.match(seen.message, /cannot grow: the disk \(or its size limit\) is full; free some space/);
  const text = readFileSync(seen.file, 'utf8');
  assert.equal(Buffer.byteLength(text), seen.size, 'the part of the failed batch that was written is taken back');
  assert.ok(seen.size > 32_000 && seen.size <= 64 * 1024, `${seen.size} B`);
  assert.equal(text.split('\n').filter(Boolean).length, seen.staged);

  openStore(file);
  const events = openStore(file, { readonly: true }).after(0, 1_000);
  assert.equal(events.length, seen.staged, 'every event staged before the failure is sealed, and nothing else');
  assert.ok(events.every((e) => e.type === 'tool.call'));
});

test('several processes staging and sealing at once keep one unbroken chain, each event once, and leave no journal behind', async (t) => {
  const file = await tempAuditFile(t);
  const seqs = await appendFromProcesses(file, 3, 300, 'log');
  assert.deepEqual(seqs.map((s) => s.length), [300, 300, 300]);
  assert.deepEqual(seqs.flat().sort((x, y) => x - y), Array.from({ length: 900 }, (_, i) => i + 1));
  const store = openStore(file, { readonly: true });
  assert.deepEqual(verifyChain(store), { ok: true, checked: 900, firstSeq: 1, lastSeq: 900, from: 'genesis' });
  assert.deepEqual(listJournals(file), []);
});
