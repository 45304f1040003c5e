import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { Checkpointer, type CheckpointRound } from '../../../../../main/core/audit/store/checkpointer.js';
import { callInputs, closeLater, openStore, tempAuditFile } from '../../../../fixtures/audit/temp-store.js';

/** The next round `accept` takes. The worker never keeps a process alive, so the wait holds a timer that does. */
const nextRound = (checkpointer: Checkpointer, accept: (round: CheckpointRound) => boolean) =>
  new Promise<CheckpointRound>((resolve) => {
    const alive = setInterval(() => undefined, 60_000);
    const off = checkpointer.onCheckpoint((round) => {
      if (!accept(round)) return;
      off();
      clearInterval(alive);
      resolve(round);
    });
  });

test('a worker thread copies the WAL into the database, so the broker connection never has to', async (t) => {
  const file = await tempAuditFile(t);
  const store = openStore(file, { backgroundCheckpoints: true });
  const checkpointer = Checkpointer.start(file, 10);
  t.after(() => checkpointer.stop());
  for (let i = 0; i < 20; i++) store.append(callInputs(100, i * 100 + 1), 1_000);
  // 2,000 events are hundreds of pages: below the backstop, so only the worker can have copied them.
  const round = await nextRound(checkpointer, (r) => r.walPages > 100 && r.copied === r.walPages);
  assert.ok(round.copied > 100);
  const reader = closeLater(file, new Database(file, { readonly: true }));
  assert.equal((reader.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n, 2_000);
});

test('a checkpointer started before the log exists begins once it does, and stops cleanly', async (t) => {
  const file = await tempAuditFile(t);
  const checkpointer = Checkpointer.start(file, 10);
  openStore(file, { backgroundCheckpoints: true }).append(callInputs(10), 1_000);
  await nextRound(checkpointer, () => true);
  await checkpointer.stop();
});

test('a checkpointer never keeps a process alive: a broker that fails to start still exits', async (t) => {
  const file = await tempAuditFile(t);
  openStore(file).append(callInputs(1), 1_000);
  const child = fileURLToPath(new URL('../../../../fixtures/audit/checkpointer-child.ts', import.meta.url));
  // The timeout is a failsafe: a child kept alive by the worker would be killed and fail the test.
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child, file], { timeout: 15_000 });
  assert.equal(stdout, 'started\n');
});
