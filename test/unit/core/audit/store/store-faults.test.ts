// The store when the disk cannot take it: full, read-only or damaged. Each says so in words a user
// can act on, and a failed write leaves nothing half-written.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, open, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { AuditStore, AuditStoreError } from '../../../../../main/core/audit/store/audit-store.js';
import type { StoreCondition } from '../../../../../main/core/audit/store/store-failure.js';
import { verifyChain } from '../../../../../main/core/audit/store/verify-chain.js';
import { callInput, callInputs, openStore, tempAuditFile } from '../../../../fixtures/audit/temp-store.js';

const T0 = 1_767_225_600_000;
const runsAsRoot = process.getuid?.() === 0;

function failureOf(fn: () => unknown, condition: StoreCondition): AuditStoreError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AuditStoreError, `expected an AuditStoreError, got ${String(caught)}`);
  assert.equal(caught.code, 'GATEHOUSE_AUDIT_UNAVAILABLE');
  assert.equal(caught.failure.condition, condition, caught.message);
  assert.equal(caught.message, caught.failure.message);
  return caught;
}

/** Inputs of about 1 kB each, to fill a small database quickly. */
const bulky = (count: number, from: number) => Array.from({ length: count }, (_, i) => callInput(from + i, { reason: `bulk ${from + i} ${'x'.repeat(1_000)}` }));

test('a full disk (max_page_count) fails the append with condition full and stores nothing of the batch', async (t) => {
  const file = await tempAuditFile(t);
  const store = openStore(file, { maxPageCount: 30 });
  store.append(callInputs(3), T0);
  const head = store.head();

  const error = failureOf(() => store.append(bulky(500, 100), T0), 'full');
  assert.match(error.message, /^the audit log .*audit\.db cannot grow: the disk \(or its size limit\) is full; free some space$/);
  assert.ok(error.cause !== undefined, 'the SQLite error is kept as the cause');

  assert.deepEqual(store.head(), head, 'nothing of the failed batch was written');
  assert.equal(store.stats().events, 3);
  assert.deepEqual(store.page({ text: 'bulk' }).events, []);
  // What fits still goes in, continuing the chain.
  store.append([callInput(4)], T0);
  assert.deepEqual(verifyChain(store), { ok: true, checked: 4, firstSeq: 1, lastSeq: 4, from: 'genesis' });
});

test('once there is room again, the same file takes the batch that did not fit and the chain is unbroken', async (t) => {
  const file = await tempAuditFile(t);
  const small = openStore(file, { maxPageCount: 30 });
  small.append(callInputs(2), T0);
  failureOf(() => small.append(bulky(500, 10), T0), 'full');
  small.close();

  const roomy = openStore(file);
  const { events } = roomy.append(bulky(500, 10), T0);
  assert.equal(events[0]!.seq, 3);
  assert.equal(verifyChain(roomy).checked, 502);
});

test('a store opened read-only reports read-only when asked to write, and still reads', async (t) => {
  const file = await tempAuditFile(t);
  openStore(file).append(callInputs(2), T0);
  const store = openStore(file, { readonly: true });
  const error = failureOf(() => store.append([callInput(3)], T0), 'read-only');
  assert.match(error.message, /is read-only .*; make it and its folder writable by this user$/);
  failureOf(() => store.tryLease('me', T0, 1_000), 'read-only');
  failureOf(() => store.acknowledge(1, T0), 'read-only');
  assert.equal(store.stats().events, 2);
  assert.equal(verifyChain(store).ok, true);
});

test('opening a log read-only never creates one', async (t) => {
  const file = await tempAuditFile(t);
  failureOf(() => AuditStore.open(file, { readonly: true }), 'unavailable');
  await assert.rejects(open(file), { code: 'ENOENT' });
});

test('a database file without write permission reports read-only', { skip: runsAsRoot ? 'runs as root, for whom file permissions do not stop writes' : false }, async (t) => {
  const file = await tempAuditFile(t);
  AuditStore.open(file).close();
  await chmod(file, 0o444);
  // SQLite opens an unwritable file read-only: the failure shows when opening (WAL) or writing.
  const error = failureOf(() => openStore(file).append([callInput(1)], T0), 'read-only');
  assert.match(error.message, /make it and its folder writable/);
});

test('a file of random bytes is reported as corrupt, with advice to keep a copy and move it aside', async (t) => {
  const file = await tempAuditFile(t);
  await writeFile(file, randomBytes(16_384));
  const error = failureOf(() => AuditStore.open(file), 'corrupt');
  assert.match(error.message, /is damaged \(file is not a database\); keep a copy for your security team, then move it aside so Gatehouse starts a new one$/);
});

test('a log whose pages were overwritten is reported as corrupt, not as an empty log', async (t) => {
  const file = await tempAuditFile(t);
  const store = AuditStore.open(file);
  for (let batch = 0; batch < 5; batch++) store.append(bulky(200, batch * 200), T0);
  store.close();
  // Keep the first page (header and schema), overwrite the table pages after it.
  const handle = await open(file, 'r+');
  await handle.write(Buffer.alloc(4096 * 64, 0xff), 0, 4096 * 64, 4096);
  await handle.close();
  const error = failureOf(() => AuditStore.open(file), 'corrupt');
  assert.match(error.message, /move it aside/);
});
