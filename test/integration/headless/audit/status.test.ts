// `gatehouse audit status`: what the log holds, what waits for the collector, and the warning the
// broker shows as pending events near the policy's cap.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditStore } from '../../../../main/core/audit/store/audit-store.js';
import { runCli } from '../cli-runner.js';
import { auditLogFixture, MORNING, T0, toolCalls, type AuditLogFixture } from './audit-log-fixture.js';

interface StatusJson {
  exists: boolean;
  events: number;
  firstSeq: number;
  lastSeq: number;
  bytes: number;
  pending: { events: number; bytes: number; oldest?: number; oldestAgeMs?: number };
  staged?: number;
  ackedSeq: number;
  lastSuccess?: number;
  lastAttempt?: number;
  lastError?: string;
  parked: boolean;
  sink: { url: string; format: string } | null;
  policy: { source: string } | { error: string };
  warning?: string;
}

const SINK = { url: 'https://collector.example.com/v1/logs', format: 'otlp' };

/** `gatehouse audit status ARGS` on the fixture's log; it must exit 0. */
async function statusOf(log: AuditLogFixture, ...args: string[]): Promise<Awaited<ReturnType<typeof runCli>>> {
  const r = await runCli(['audit', 'status', ...args, ...log.args], log.env);
  assert.equal(r.code, 0, r.stderr);
  return r;
}

describe('gatehouse audit status', () => {
  let log: AuditLogFixture;
  before(async () => (log = await auditLogFixture()));
  after(() => log.close());

  const status = (...args: string[]) => statusOf(log, ...args);

  test('--json reports the events, what is pending and the collector from policy', async () => {
    const r = await status('--json', ...(await log.policy({ sink: SINK })));
    const s = JSON.parse(r.stdout) as StatusJson;
    assert.equal(s.exists, true);
    assert.deepEqual([s.events, s.firstSeq, s.lastSeq], [MORNING.length, 1, MORNING.length]);
    assert.ok(s.bytes > 0);
    assert.equal(s.pending.events, MORNING.length);
    assert.ok(s.pending.bytes > 0);
    assert.equal(s.pending.oldest, T0);
    assert.ok(s.pending.oldestAgeMs! > 0);
    assert.equal(s.ackedSeq, 0);
    assert.equal(s.lastSuccess, undefined);
    assert.equal(s.parked, false);
    assert.deepEqual(s.sink, SINK);
    assert.equal(s.warning, undefined);
  });

  test('reports the outbox state the broker left: acknowledged seq, last success, last error, paused', async () => {
    const store = AuditStore.open(log.file);
    store.acknowledge(5, T0 + 60_000);
    store.recordFailure('the collector answered 400 Bad Request: bad batch', true, T0 + 120_000);
    store.close();
    const s = JSON.parse((await status('--json', ...(await log.policy({ sink: SINK })))).stdout) as StatusJson;
    assert.deepEqual(
      { ackedSeq: s.ackedSeq, pending: s.pending.events, lastSuccess: s.lastSuccess, lastAttempt: s.lastAttempt, lastError: s.lastError, parked: s.parked },
      { ackedSeq: 5, pending: MORNING.length - 5, lastSuccess: T0 + 60_000, lastAttempt: T0 + 120_000, lastError: 'the collector answered 400 Bad Request: bad batch', parked: true },
    );
    const human = (await status(...(await log.policy({ sink: SINK })))).stdout;
    assert.match(human, /acknowledged: {2}up to seq 5/);
    assert.match(human, /last error: {4}the collector answered 400 Bad Request: bad batch \(2026-11-22T01:04:03\.000Z/);
    assert.match(human, /shipping: {6}paused: the collector refused a batch; fix what the error says, then run gatehouse audit sync --now/);
  });

  test('without a collector in policy, says events stay on this computer', async () => {
    const r = await status(...(await log.policy({})));
    assert.match(r.stdout, /collector: {5}none in the policy from .*: events stay on this computer/);
  });

  test('without any policy, still shows the log and says why the collector is unknown', async () => {
    const s = JSON.parse((await status('--json')).stdout) as StatusJson;
    assert.equal(s.events, MORNING.length);
    assert.equal(s.sink, null);
    assert.match((s.policy as { error: string }).error, /No Gatehouse policy found/);
  });
});

describe('gatehouse audit status near the pending cap', () => {
  let log: AuditLogFixture;
  before(async () => {
    log = await auditLogFixture();
    log.append(toolCalls(200));
  });
  after(() => log.close());

  test('warns once pending events pass warnPendingPercent of maxPendingMegabytes', async () => {
    // 1% of 1 MB is about 10 KB; 208 events are several times that.
    const policy = await log.policy({ sink: { ...SINK, maxPendingMegabytes: 1, warnPendingPercent: 1 } });
    const [json, human] = await Promise.all([
      runCli(['audit', 'status', '--json', ...policy, ...log.args], log.env),
      runCli(['audit', 'status', ...policy, ...log.args], log.env),
    ]);
    const s = JSON.parse(json.stdout) as StatusJson;
    assert.match(s.warning ?? '', /^\d+\.\d KB of audit events are waiting for the collector \(\d+% of the 1 MB allowed\); connect to the company network/);
    assert.match(human.stdout, /WARNING: {7}\d+\.\d KB of audit events are waiting/);
    const relaxed = await runCli(['audit', 'status', '--json', ...(await log.policy({ sink: SINK })), ...log.args], log.env);
    assert.equal((JSON.parse(relaxed.stdout) as StatusJson).warning, undefined);
  });

  test('at the cap, says what policy makes of new calls', async () => {
    log.append(toolCalls(6_000));
    const run = async (required: boolean) => {
      const policy = await log.policy({ required, sink: { ...SINK, maxPendingMegabytes: 1 } });
      const r = await runCli(['audit', 'status', '--json', ...policy, ...log.args], log.env);
      return (JSON.parse(r.stdout) as StatusJson).warning ?? '';
    };
    const [required, optional] = await Promise.all([run(true), run(false)]);
    assert.ok((JSON.parse((await runCli(['audit', 'status', '--json', ...log.args], log.env)).stdout) as StatusJson).pending.bytes > 1024 * 1024);
    assert.match(required, /the most policy allows \(1 MB\): tool calls are refused until events can be shipped/);
    assert.match(optional, /the most policy allows \(1 MB\): new events are not recorded \(audit\.required is false\)/);
  });
});

describe('gatehouse audit status after a broker stopped abruptly', () => {
  let log: AuditLogFixture;
  before(async () => (log = await auditLogFixture()));
  after(() => log.close());

  const status = (...args: string[]) => statusOf(log, ...args);

  test('events a broker staged before it stopped abruptly are reported until the next start seals them', async () => {
    const store = AuditStore.open(log.file);
    const journal = store.openJournal(999_999_999);
    store.stage(journal, toolCalls(2), T0);
    journal.close();
    store.close();
    const s = JSON.parse((await status('--json', ...(await log.policy({})))).stdout) as StatusJson;
    assert.equal(s.staged, 2);
    assert.match((await status(...(await log.policy({})))).stdout, /staged: {8}2 event\(s\) on disk, not yet in the chain/);
    AuditStore.open(log.file).close();
    assert.equal((JSON.parse((await status('--json')).stdout) as StatusJson).staged, undefined, 'the next writer sealed them');
  });
});

describe('gatehouse audit status without a log', () => {
  test('says so and exits 0', async () => {
    const empty = await auditLogFixture(null);
    try {
      const [human, json] = await Promise.all([
        runCli(['audit', 'status', ...empty.args], empty.env),
        runCli(['audit', 'status', '--json', ...empty.args], empty.env),
      ]);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /There is no audit log at .* yet/);
      assert.equal((JSON.parse(json.stdout) as StatusJson).exists, false);
    } finally {
      await empty.close();
    }
  });
});
