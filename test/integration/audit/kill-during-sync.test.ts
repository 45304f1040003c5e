// kill -9 of a broker while a batch is on its way to the collector: no event whose record() had
// resolved is lost, the next process takes over the dead one's lease at once, and everything reaches
// the collector, the batch that was in flight at most twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AuditSinkSchema } from '../../../main/core/audit/audit-policy.js';
import { verifyChain } from '../../../main/core/audit/store/verify-chain.js';
import { Outbox } from '../../../main/core/audit/sync/outbox.js';
import { systemClock } from '../../../main/core/ports/clock.js';
import { silentLogger } from '../../../main/core/ports/logger.js';
import { startAuditCollector } from '../../fixtures/audit-collector.js';
import { openStore, tempAuditFile } from '../../fixtures/audit/temp-store.js';

const child = fileURLToPath(new URL('../../fixtures/audit/sync-child.ts', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
/** Events the child must have recorded while its batch hung, before it is killed. */
const WRITTEN_DURING_SYNC = 500;
const FAILSAFE_MS = 30_000;

test('SIGKILL while a batch is in flight: no durable event lost, the lease is taken over, everything delivered with at most the in-flight batch twice', async (t) => {
  // Registered first so they run first: the child dies before its folder is removed.
  let stopBroker = (): void => undefined;
  t.after(() => stopBroker());
  const collector = await startAuditCollector();
  t.after(() => collector.close());
  const file = await tempAuditFile(t);
  collector.setMode('hang');

  const broker = spawn(process.execPath, ['--import', 'tsx', child, file, collector.url], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => broker.once('exit', (code, signal) => resolve(signal ?? code)));
  stopBroker = () => void broker.kill('SIGKILL');
  let stderr = '';
  broker.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8_000)));

  // Follow what the child says is durable.
  let written = 0;
  let syncing = false;
  const progress = new Set<() => void>();
  createInterface({ input: broker.stdout }).on('line', (line) => {
    const said = JSON.parse(line) as { written?: number; syncing?: boolean };
    if (said.written !== undefined) written = said.written;
    if (said.syncing === true) syncing = true;
    for (const check of [...progress]) check();
  });
  const childReaches = (condition: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const failsafe = setTimeout(() => reject(new Error(`the child never ${what}:\n${stderr}`)), FAILSAFE_MS);
      const check = () => {
        if (!condition()) return;
        clearTimeout(failsafe);
        progress.delete(check);
        resolve();
      };
      progress.add(check);
      void exited.then((how) => {
        clearTimeout(failsafe);
        reject(new Error(`the child exited (${how}) before it ${what}:\n${stderr}`));
      });
      check();
    });

  await childReaches(() => syncing, 'started its outbox');
  await collector.waitFor((c) => c.received.length === 1, FAILSAFE_MS);
  const inFlight = collector.received[0]!;
  assert.equal(inFlight.answer, 'hang');
  assert.equal(inFlight.ids.length, 50);
  // The child goes on recording while its batch hangs.
  await childReaches(() => written >= 120 + WRITTEN_DURING_SYNC, `recorded ${WRITTEN_DURING_SYNC} events during the sync`);

  broker.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  const durable = written;
  t.diagnostic(`killed after ${durable} events were reported written`);

  // Every event whose record() resolved in the child is on disk, and the chain is whole.
  const store = openStore(file);
  const reasons = new Set(store.rowsAfter(0, 1_000_000).map((row) => (JSON.parse(row.body) as { reason: string }).reason));
  const missing = Array.from({ length: durable }, (_, i) => `event ${i + 1}`).filter((reason) => !reasons.has(reason));
  assert.deepEqual(missing, [], 'no durable event lost');
  assert.equal(verifyChain(store).ok, true);

  // The dead child still holds the lease, and it has not expired.
  const lease = store.outbox();
  assert.equal(lease.leaseOwner?.split(':')[0], String(broker.pid));
  assert.ok(lease.leaseUntil! > Date.now(), 'the lease would still be valid by time alone');
  assert.equal(lease.ackedSeq, 0);

  collector.setMode('ok');
  const outbox = new Outbox({
    store: () => store,
    sink: AuditSinkSchema.parse({ url: collector.url, format: 'jsonl', batchSize: 50, timeoutSeconds: 10 }),
    headers: async () => ({}),
    resource: { version: '0.1.0-test' },
    clock: systemClock,
    logger: silentLogger,
  });
  t.after(() => outbox.stop());
  const result = await outbox.syncNow();
  assert.equal(result.error, undefined, 'the lease of a dead process is taken over at once');
  assert.equal(result.pending, 0);

  const all = store.rowsAfter(0, 1_000_000).map((row) => row.id);
  assert.equal(result.sent, all.length);
  assert.deepEqual(collector.uniqueIds(), all, 'every event delivered, in order');
  const inFlightIds = new Set(inFlight.ids);
  assert.ok(collector.duplicates().every((id) => inFlightIds.has(id)), 'only the in-flight batch may arrive twice');
  // Counting every request, the hung one too: the in-flight batch was sent twice, every other event once.
  const sends = new Map<string, number>();
  for (const id of collector.received.flatMap((r) => r.ids)) sends.set(id, (sends.get(id) ?? 0) + 1);
  assert.deepEqual(
    all.filter((id) => sends.get(id) !== 1),
    inFlight.ids,
  );
  assert.deepEqual(collector.received[1]!.ids, inFlight.ids, 'the resumed outbox starts with the batch that was in flight');
});
