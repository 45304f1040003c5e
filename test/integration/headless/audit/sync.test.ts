// `gatehouse audit sync --now` against the real fixture collector: everything pending is delivered
// in order and acknowledged; a collector answering 500 leaves the events pending, the command exits
// non-zero with the collector's words, and status shows shipping paused.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditStore } from '../../../../main/core/audit/store/audit-store.js';
import { startAuditCollector, type AuditCollector } from '../../../fixtures/audit-collector.js';
import { runCli } from '../cli-runner.js';
import { auditLogFixture, MORNING, type AuditLogFixture } from './audit-log-fixture.js';

describe('gatehouse audit sync --now', () => {
  let collector: AuditCollector;
  let log: AuditLogFixture;
  let ids: string[];
  before(async () => (collector = await startAuditCollector()));
  after(() => collector.close());
  beforeEach(async () => {
    log = await auditLogFixture();
    const store = AuditStore.open(log.file, { readonly: true });
    ids = store.after(0, 100).map((event) => event.id);
    store.close();
    collector.setMode('ok');
  });
  afterEach(() => log.close());

  const sync = async (sink: Record<string, unknown>, ...args: string[]) =>
    runCli(['audit', 'sync', '--now', ...args, ...(await log.policy({ sink: { url: collector.url, ...sink } })), ...log.args], log.env);
  const statusOf = async () => JSON.parse((await runCli(['audit', 'status', '--json', ...log.args], log.env)).stdout) as { pending: { events: number }; ackedSeq: number; parked: boolean; lastError?: string };

  test('delivers every pending event once, in order and in batches, with the policy headers, then nothing is pending', async () => {
    const before = collector.received.length;
    const r = await sync({ batchSize: 3, headers: { 'X-Tenant': 'acme' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Sent ${MORNING.length} event(s) to ${collector.url}; 0 remain.\n`);
    const requests = collector.received.slice(before);
    assert.deepEqual(requests.map((request) => [request.format, request.ids.length]), [['otlp', 3], ['otlp', 3], ['otlp', 2]]);
    assert.deepEqual(requests.flatMap((request) => request.ids), ids);
    assert.ok(requests.every((request) => request.headers['x-tenant'] === 'acme'));
    const status = await statusOf();
    assert.deepEqual({ pending: status.pending.events, ackedSeq: status.ackedSeq }, { pending: 0, ackedSeq: MORNING.length });

    const again = await sync({ batchSize: 3 });
    assert.equal(again.stdout, `Sent 0 event(s) to ${collector.url}; 0 remain.\n`);
    assert.equal(collector.received.length, before + 3, 'nothing is sent twice');
  });

  test('ships JSON lines when the sink says so, and --json reports the result', async () => {
    const before = collector.received.length;
    const r = await sync({ format: 'jsonl' }, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { collector: collector.url, sent: MORNING.length, pending: 0 });
    assert.deepEqual(collector.received.slice(before).map((request) => [request.format, request.ids]), [['jsonl', ids]]);
  });

  test('a collector answering 500 leaves everything pending, exits non-zero with its answer, and pauses shipping', async () => {
    collector.setMode({ status: 500, body: 'database is down' });
    const r = await sync({});
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `Sent 0 event(s) to ${collector.url}; ${MORNING.length} remain unsent.\n`);
    assert.match(r.stderr, new RegExp(`${MORNING.length} audit event\\(s\\) were not delivered: the collector answered 500 Internal Server Error: database is down\\. Shipping stays paused .*\\[GATEHOUSE_AUDIT_SYNC_FAILED\\]`));
    const status = await statusOf();
    assert.deepEqual({ pending: status.pending.events, ackedSeq: status.ackedSeq, parked: status.parked }, { pending: MORNING.length, ackedSeq: 0, parked: true });
    assert.match(status.lastError ?? '', /answered 500/);

    collector.setMode('ok');
    const retried = await sync({});
    assert.equal(retried.code, 0, retried.stderr);
    assert.deepEqual(await statusOf().then((s) => [s.pending.events, s.parked]), [0, false]);
  });

  test('a failure after the first batch keeps what was delivered and reports the rest', async () => {
    collector.answerNext(['ok', { status: 500, body: 'full' }]);
    const r = await sync({ batchSize: 5 });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `Sent 5 event(s) to ${collector.url}; ${MORNING.length - 5} remain unsent.\n`);
    assert.equal((await statusOf()).ackedSeq, 5);
  });

  test('a collector that is not there leaves everything pending and says a broker retries', async () => {
    const gone = await startAuditCollector();
    const url = gone.url;
    await gone.close();
    const r = await runCli(['audit', 'sync', '--now', ...(await log.policy({ sink: { url } })), ...log.args], log.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /were not delivered: could not reach the collector \(ECONNREFUSED\).*A running broker keeps retrying/);
    assert.equal((await statusOf()).pending.events, MORNING.length);
  });

  test('without a collector in policy it is a usage error', async () => {
    const r = await runCli(['audit', 'sync', '--now', ...(await log.policy({})), ...log.args], log.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /names no audit collector \("audit": \{"sink": …\}\)/);
  });

  test('without --now it says what --now does (usage error)', async () => {
    const r = await runCli(['audit', 'sync', ...(await log.policy({ sink: { url: collector.url } })), ...log.args], log.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /usage: gatehouse audit sync --now/);
  });
});
