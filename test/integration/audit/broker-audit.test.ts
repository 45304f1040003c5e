// The audit trail through a real broker: every call, refusal and session is on disk, with its
// pipeline decisions, before the client has its answer; raw secrets never reach the log; and when
// the log cannot be written, policy decides between failing closed and going on unaudited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditEvent } from '../../../common/audit-event.js';
import { AuditLog } from '../../../main/core/audit/audit-log.js';
import { AuditPolicySchema } from '../../../main/core/audit/audit-policy.js';
import { AuditStore } from '../../../main/core/audit/store/audit-store.js';
import { verifyChain } from '../../../main/core/audit/store/verify-chain.js';
import { systemClock } from '../../../main/core/ports/clock.js';
import { silentLogger } from '../../../main/core/ports/logger.js';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';

const AWS_KEY = 'AKIA4HKQ3ZP7WUTX2ML5';
const CARD = '4539 1488 0343 6467';

/**
 * Everything durable in the log, oldest first, as the next process to open it would find it if the
 * broker died now: that process puts the broker's staged events in the chain first.
 */
function readAll(file: string): AuditEvent[] {
  // A copy of the data dir stands in for it: the broker lives on, writing to the original.
  const copy = mkdtempSync(path.join(tmpdir(), 'gatehouse-audit-copy-'));
  cpSync(path.dirname(file), copy, { recursive: true, filter: (source) => !source.endsWith('-shm') });
  const store = AuditStore.open(path.join(copy, path.basename(file)), { isAlive: () => false });
  try {
    return store.after(0, 10_000);
  } finally {
    store.close();
    rmSync(copy, { recursive: true, force: true });
  }
}

describe('the audit trail through the broker', () => {
  let twin: TwinServer;
  let dir: string;
  let file: string;
  let log: AuditLog;
  let h: Harness;

  before(async () => {
    twin = await startTwin('A');
    dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-audit-'));
    file = path.join(dir, 'audit.db');
    log = new AuditLog({ open: () => AuditStore.open(file), policy: AuditPolicySchema.parse({}), clock: systemClock, logger: silentLogger });
    h = await startBroker([{ id: 'alpha', url: twin.url }], { dlp: { detectors: { 'payment-card': { action: 'redact' } } } }, { audit: log });
  });
  after(async () => {
    await h?.stop();
    log?.close();
    await twin?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a call is on disk, with who, what, each step and how it ended, by the time the client has the answer', async () => {
    const client = await h.connect('/mcp', { name: 'cursor-test' });
    await client.callTool({ name: 'alpha__search', arguments: { query: 'invoices' } });
    const call = readAll(file).findLast((e) => e.type === 'tool.call');
    assert.ok(call, 'the call was recorded before its answer');
    assert.equal(call.client, 'test');
    assert.equal(call.server, 'alpha');
    assert.equal(call.tool, 'search');
    assert.equal(call.method, 'tools/call');
    assert.equal(call.decision, 'allowed');
    assert.equal(call.status, 'ok');
    assert.deepEqual(call.arguments, { query: 'invoices' });
    assert.match(call.argumentsHash ?? '', /^[0-9a-f]{64}$/);
    assert.ok(call.latencyMs !== undefined && call.latencyMs >= 0);
    assert.deepEqual(call.steps?.map((s) => s.step), ['pause', 'authorization', 'dlp', 'approval']);
    const opened = readAll(file).find((e) => e.type === 'session.opened' && e.session === call.session);
    assert.ok(opened, 'the session that made the call was recorded when it opened');
    await client.close();
  });

  test('a redaction is recorded with its detector, and the raw value is nowhere in the database', async () => {
    const client = await h.connect();
    await client.callTool({ name: 'alpha__search', arguments: { query: `refund ${CARD} today` } });
    const call = readAll(file).findLast((e) => e.type === 'tool.call')!;
    assert.equal(call.decision, 'redacted');
    assert.deepEqual(call.steps?.find((s) => s.step === 'dlp'), { step: 'dlp', outcome: 'redact', detectors: ['payment-card'] });
    assert.ok(!JSON.stringify(call.arguments).includes(CARD));
    log.flush();
    for (const name of [file, `${file}-wal`]) {
      const bytes = await readFile(name).catch(() => Buffer.alloc(0));
      assert.ok(!bytes.includes(Buffer.from(CARD)), `${path.basename(name)} holds no raw card number`);
    }
    await client.close();
  });

  test('a refusal is recorded as denied, with the code the agent got and nothing forwarded', async () => {
    const client = await h.connect();
    await assert.rejects(client.callTool({ name: 'alpha__search', arguments: { query: `deploy ${AWS_KEY}` } }), /GATEHOUSE_DLP_BLOCKED/);
    const call = readAll(file).findLast((e) => e.type === 'tool.call')!;
    assert.equal(call.decision, 'denied');
    assert.equal(call.status, 'refused');
    assert.equal(call.code, 'GATEHOUSE_DLP_BLOCKED');
    assert.equal(call.steps?.at(-1)?.outcome, 'block');
    assert.ok(!JSON.stringify(call).includes(AWS_KEY), 'the blocked secret is not in the log');
    await client.close();
  });

  test('resource reads and closed sessions are recorded, and the whole log verifies', async () => {
    const client = await h.connect();
    await client.readResource({ uri: (await client.listResources()).resources[0]!.uri });
    const read = readAll(file).findLast((e) => e.type === 'resource.read')!;
    assert.equal(read.server, 'alpha');
    assert.equal(read.status, 'ok');
    await client.close();
    log.flush();
    const store = AuditStore.open(file, { readonly: true });
    try {
      assert.equal(verifyChain(store).ok, true);
    } finally {
      store.close();
    }
  });
});

describe('when the audit log cannot be written', () => {
  let twin: TwinServer;
  let dir: string;

  before(async () => {
    twin = await startTwin('A');
    dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-audit-full-'));
  });
  after(async () => {
    await twin?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A log on a "disk" that fills up after a few pages (SQLite's own page limit). */
  async function fullLog(name: string, required: boolean): Promise<AuditLog> {
    const file = path.join(dir, name);
    const log = new AuditLog({ open: () => AuditStore.open(file, { maxPageCount: 16 }), policy: AuditPolicySchema.parse({ required }), clock: systemClock, logger: silentLogger });
    // Fill it: big events until sealing them into the chain fails.
    for (let i = 0; i < 200 && log.health().ok; i++) {
      await log.record({ type: 'error', decision: 'recorded', reason: 'x'.repeat(3_000) }).catch(() => undefined);
      log.flush();
    }
    assert.equal(log.health().failure?.condition, 'full');
    return log;
  }

  test('by default calls fail closed, saying why, and nothing reaches the server', async () => {
    const log = await fullLog('required.db', true);
    const h = await startBroker([{ id: 'alpha', url: twin.url }], {}, { audit: log });
    try {
      const client = await h.connect();
      const seen = twin.requestsSeen.filter((r) => r.method === 'tools/call').length;
      await assert.rejects(client.callTool({ name: 'alpha__search', arguments: { query: 'q' } }), /GATEHOUSE_AUDIT_UNAVAILABLE.*full/);
      assert.equal(twin.requestsSeen.filter((r) => r.method === 'tools/call').length, seen, 'the call was not forwarded');
    } finally {
      await h.stop();
      log.close();
    }
  });

  test('with audit.required false, calls go on unaudited', async () => {
    const log = await fullLog('optional.db', false);
    const h = await startBroker([{ id: 'alpha', url: twin.url }], {}, { audit: log });
    try {
      const client = await h.connect();
      const result = await client.callTool({ name: 'alpha__search', arguments: { query: 'q' } });
      assert.deepEqual(result.content, [{ type: 'text', text: '[A] results for "q"' }]);
      assert.equal(log.health().ok, false);
      assert.ok(log.current!.stagedCount() > 0, 'the events wait, staged on disk, for room in the chain');
    } finally {
      await h.stop();
      log.close();
    }
  });
});
