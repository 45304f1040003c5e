import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import type { z } from 'zod';
import type { AuditEvent, AuditEventInput } from '../../../../common/audit-event.js';
import { auditArguments } from '../../../../main/core/audit/audit-arguments.js';
import { AuditLog } from '../../../../main/core/audit/audit-log.js';
import { AuditPolicySchema } from '../../../../main/core/audit/audit-policy.js';
import { AuditStore, AuditStoreError } from '../../../../main/core/audit/store/audit-store.js';
import { journalDirectory, listJournals } from '../../../../main/core/audit/store/staging-journal.js';
import { verifyChain } from '../../../../main/core/audit/store/verify-chain.js';
import type { Logger, LogLevel } from '../../../../main/core/ports/logger.js';
import { ManualClock } from '../../../helpers/manual-clock.js';
import { callInput, openStore, tempAuditFile } from '../../../fixtures/audit/temp-store.js';

const T0 = 1_767_225_600_000;
/** AuditLog's wait before writing again after a failure, and between pending-size checks. */
const RETRY_MS = 5_000;
/** How long staged events wait before the log seals them into the chain. */
const SEAL_MS = 200;
const SINK = { url: 'http://127.0.0.1:9/v1/logs' };

class Lines implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];
  log(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
  }
  at(level: LogLevel): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

interface Harness {
  log: AuditLog;
  file: string;
  clock: ManualClock;
  logger: Lines;
  /** How many times the log opened the store. */
  opens: () => number;
  /** Every batch the log reported written, in order. */
  batches: AuditEvent[][];
  /** What is in the chain, read through a connection of its own. */
  onDisk: () => AuditEvent[];
  /** Lets the log's seal timer run: what was staged joins the chain. */
  sealed: () => AuditEvent[];
}

async function harness(t: TestContext, policy: z.input<typeof AuditPolicySchema>, open?: (file: string, attempt: number) => AuditStore): Promise<Harness> {
  const file = await tempAuditFile(t);
  const clock = new ManualClock(T0);
  const logger = new Lines();
  let opens = 0;
  const log = new AuditLog({
    open: () => {
      const store = open ? open(file, opens) : AuditStore.open(file);
      opens++;
      return store;
    },
    policy: AuditPolicySchema.parse(policy),
    clock,
    logger,
  });
  t.after(() => log.close());
  const batches: AuditEvent[][] = [];
  log.onWritten((events) => batches.push([...events]));
  const onDisk = () => {
    const reader = AuditStore.open(file, { readonly: true });
    try {
      return reader.after(0, 100_000);
    } finally {
      reader.close();
    }
  };
  const sealed = () => {
    clock.advance(SEAL_MS);
    return onDisk();
  };
  return { log, file, clock, logger, opens: () => opens, batches, onDisk, sealed };
}

/** ~4 kB events: the reason is kept up to 4,000 characters. */
const bulky = (n: number): AuditEventInput => callInput(n, { reason: `bulk ${n} ${'x'.repeat(3_990)}` });

async function rejection(promise: Promise<unknown>): Promise<AuditStoreError> {
  const error = await promise.then(
    () => assert.fail('expected the record to be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AuditStoreError, String(error));
  assert.equal(error.code, 'GATEHOUSE_AUDIT_UNAVAILABLE');
  return error;
}

test('record resolves once the event is on disk: if the process dies then, the next one to open the log puts it in the chain', async (t) => {
  const { log, file, onDisk } = await harness(t, {});
  const written = log.record(callInput(1, { user: 'alice' }));
  const staged = () => openStore(file, { readonly: true }).stagedCount();
  assert.equal(staged(), 0, 'queued, not written within the call');
  await written;
  assert.equal(staged(), 1, 'staged by the time the call may be answered');
  assert.equal(onDisk().length, 0, 'not yet in the chain');

  // As if this process had been killed now: the next writer seals what it left.
  openStore(file, { isAlive: () => false }).close();
  const events = onDisk();
  assert.equal(events.length, 1);
  assert.equal(events[0]!.user, 'alice');
  assert.equal(events[0]!.time, T0, 'stamped with the clock when recorded');
  assert.equal(staged(), 0);
  assert.equal(verifyChain(openStore(file, { readonly: true })).ok, true);
});

test('a writer leaves the staged events of a process that still runs to that process', async (t) => {
  const { log, file, onDisk, sealed, batches } = await harness(t, {});
  await log.record(callInput(1));
  openStore(file).close();
  assert.equal(onDisk().length, 0, 'this process is alive: its events are its own to seal');
  assert.equal(sealed().length, 1);
  assert.deepEqual(batches.map((b) => b.length), [1], 'and its listeners hear of them');
});

test('every event recorded in one turn of the event loop is staged in one transaction and sealed together', async (t) => {
  const { log, batches, onDisk, sealed } = await harness(t, {});
  const promises = Array.from({ length: 100 }, (_, i) => log.record(callInput(i)));
  assert.ok(promises.every((p) => p === promises[0]), 'they share the batch promise');
  await Promise.all(promises);
  assert.equal(sealed().length, 100);
  assert.deepEqual(batches.map((b) => b.length), [100]);
  assert.deepEqual(batches[0]!.map((e) => e.reason), Array.from({ length: 100 }, (_, i) => `call ${i}`), 'in the order recorded');

  await log.record(callInput(100));
  assert.equal(sealed().length, 101);
  assert.deepEqual(batches.map((b) => b.length), [100, 1], 'the next turn is the next batch');
  assert.equal(onDisk().length, 101);
});

test('a thousand staged events are sealed without waiting for the timer, a slice per turn so calls get through in between', async (t) => {
  const { log, onDisk, batches } = await harness(t, {});
  await Promise.all(Array.from({ length: 999 }, (_, i) => log.record(callInput(i))));
  assert.equal(onDisk().length, 0);
  const allSealed = new Promise<void>((resolve) => log.onWritten(() => batches.flat().length === 1_000 && resolve()));
  await log.record(callInput(999));
  assert.ok(onDisk().length < 1_000, 'not all in one go');
  await allSealed;
  assert.equal(onDisk().length, 1_000);
  assert.ok(batches.length >= 8 && batches.every((b) => b.length <= 128), `${batches.map((b) => b.length).join()}`);
});


test('flush writes what is queued at once', async (t) => {
  const { log, onDisk } = await harness(t, {});
  const written = log.record(callInput(1));
  log.flush();
  assert.equal(onDisk().length, 1);
  await written;
});

test('closing seals what is staged and removes the journal; nothing is left for the next process', async (t) => {
  const { log, file, onDisk } = await harness(t, {});
  await Promise.all(Array.from({ length: 10 }, (_, i) => log.record(callInput(i))));
  assert.equal(listJournals(file).length, 1);
  log.close();
  assert.equal(onDisk().length, 10);
  assert.deepEqual(listJournals(file), []);
});

test('a journal sealed to its end is replaced once past 8 MiB, so none grows without end', async (t) => {
  const { log, file, onDisk } = await harness(t, {});
  // About 4 kB each: 2,100 of them pass 8 MiB.
  for (let i = 0; i < 2_100; i += 300) await Promise.all(Array.from({ length: 300 }, (_, j) => log.record(bulky(i + j))));
  log.flush();
  assert.deepEqual(listJournals(file), [], 'the big one went once sealed');
  await log.record(callInput(0));
  const [fresh] = listJournals(file);
  assert.ok(fresh !== undefined && statSync(fresh.file).size < 1_000, 'the next event starts a new journal');
  log.flush();
  assert.equal(onDisk().length, 2_101);
});

test('required: while the chain cannot grow (a full disk), calls are refused, staged events wait on disk, and all join the chain once there is room', async (t) => {
  // The first store has a tiny page limit (a full disk); the log reopens after a failure and gets one without.
  const h = await harness(t, { required: true }, (file, attempt) => AuditStore.open(file, attempt === 0 ? { maxPageCount: 30 } : {}));
  await h.log.record(callInput(0));
  assert.equal(h.sealed().length, 1);
  assert.equal(h.log.refusal(), undefined);

  // Staging is a file of its own: these calls were answered, their events on disk before that.
  await Promise.all(Array.from({ length: 200 }, (_, i) => h.log.record(bulky(i + 1))));
  h.log.flush();
  const refusal = h.log.refusal();
  assert.equal(refusal?.code, 'GATEHOUSE_AUDIT_UNAVAILABLE');
  assert.match(refusal!.message, /^Gatehouse cannot record this call in the audit log, and policy requires it: the audit log .* cannot grow: the disk \(or its size limit\) is full; free some space$/);
  assert.deepEqual({ ok: h.log.health().ok, condition: h.log.health().failure?.condition, unrecorded: h.log.health().unrecorded }, { ok: false, condition: 'full', unrecorded: 0 });
  assert.equal(h.logger.at('error').length, 1, 'the failure is logged once');
  assert.match(h.logger.at('error')[0]!, /tool calls are refused until it works again/);
  assert.equal(h.onDisk().length, 1);
  assert.equal(openStore(h.file, { readonly: true }).stagedCount(), 200, 'nothing is lost: the events wait in the journal');

  h.clock.advance(RETRY_MS);
  assert.equal(h.opens(), 2, 'the retry opened the store again');
  assert.equal(h.log.refusal(), undefined);
  assert.equal(h.log.health().ok, true);
  assert.deepEqual(h.onDisk().map((e) => e.reason!.split(' ').slice(0, 2).join(' ')), ['call 0', ...Array.from({ length: 200 }, (_, i) => `bulk ${i + 1}`)]);
  assert.ok(h.logger.at('info').some((line) => /being written again/.test(line)));
  assert.equal(verifyChain(openStore(h.file, { readonly: true })).ok, true);
  await h.log.record(callInput(201));
  assert.equal(h.sealed().length, 202);
});

test('not required: while the chain cannot grow, calls go on, and what they staged meanwhile joins the chain once there is room', async (t) => {
  const h = await harness(t, { required: false }, (file, attempt) => AuditStore.open(file, attempt === 0 ? { maxPageCount: 30 } : {}));
  await h.log.record(callInput(0));
  assert.equal(h.sealed().length, 1);
  await Promise.all(Array.from({ length: 200 }, (_, i) => h.log.record(bulky(i + 1))));
  h.log.flush();
  assert.equal(h.log.refusal(), undefined, 'calls would go on');
  assert.deepEqual({ ok: h.log.health().ok, unrecorded: h.log.health().unrecorded }, { ok: false, unrecorded: 0 });
  assert.match(h.logger.at('error')[0]!, /tool calls go on unaudited \(audit.required is false\)/);

  h.clock.advance(RETRY_MS);
  await h.log.record(callInput(201));
  const events = h.sealed();
  assert.equal(events.length, 202, 'no gap: nothing was lost');
  assert.deepEqual([events[1]!.reason!.slice(0, 6), events[201]!.reason], ['bulk 1', 'call 201']);
  assert.deepEqual({ ok: h.log.health().ok, unrecorded: h.log.health().unrecorded }, { ok: true, unrecorded: 0 });
});

/** Puts a file where the log's journals go: no journal can be created, a real failure to stage. */
function blockStaging(file: string): () => void {
  const dir = journalDirectory(file);
  writeFileSync(dir, 'in the way');
  return () => rmSync(dir);
}

test('required: when events cannot be staged, record is refused, refusal explains, and the events wait in memory until staging works', async (t) => {
  const h = await harness(t, { required: true });
  const unblock = blockStaging(h.file);
  const refused = Array.from({ length: 50 }, (_, i) => h.log.record(callInput(i + 1)));
  const error = await rejection(Promise.all(refused));
  assert.equal(error.failure.condition, 'unavailable');
  assert.match(h.log.refusal()!.message, /^Gatehouse cannot record this call in the audit log, and policy requires it: the audit log .* cannot be read or written \(EEXIST/);
  assert.deepEqual({ ok: h.log.health().ok, unrecorded: h.log.health().unrecorded }, { ok: false, unrecorded: 0 });
  await rejection(h.log.record(callInput(51)));
  assert.equal(h.logger.at('error').length, 1, 'the failure is logged once');

  unblock();
  h.clock.advance(RETRY_MS);
  assert.equal(h.log.refusal(), undefined);
  assert.deepEqual(h.onDisk().map((e) => e.reason), Array.from({ length: 51 }, (_, i) => `call ${i + 1}`));
  assert.ok(h.logger.at('info').some((line) => /being written again/.test(line)));
});

test('not required: when events cannot be staged, calls go on, and once staging works an audit.gap event with the missed count comes first', async (t) => {
  const h = await harness(t, { required: false });
  const unblock = blockStaging(h.file);
  await Promise.all(Array.from({ length: 200 }, (_, i) => h.log.record(callInput(i + 1))));
  assert.equal(h.log.refusal(), undefined, 'calls would go on');
  assert.deepEqual({ ok: h.log.health().ok, unrecorded: h.log.health().unrecorded }, { ok: false, unrecorded: 200 });
  assert.match(h.logger.at('error')[0]!, /tool calls go on unaudited \(audit.required is false\)/);

  unblock();
  h.clock.advance(RETRY_MS);
  await h.log.record(callInput(201));
  const events = h.sealed();
  assert.deepEqual(events.map((e) => e.type), ['audit.gap', 'tool.call']);
  const gap = events[0]!;
  assert.equal(gap.decision, 'recorded');
  assert.deepEqual(gap.details, { missed: 200, from: T0, to: T0 + RETRY_MS, condition: 'unavailable' });
  assert.match(gap.reason!, /^200 event\(s\) could not be recorded while the audit log was unavailable \(unavailable\)/);
  assert.equal(events[1]!.reason, 'call 201');
  assert.deepEqual({ ok: h.log.health().ok, unrecorded: h.log.health().unrecorded }, { ok: true, unrecorded: 0 });
});

test('required: a log that was read-only when opened refuses calls until it is writable, then writes what waited', async (t) => {
  let readable = false;
  const h = await harness(t, {}, (file) => {
    if (!readable) AuditStore.open(file).close();
    return AuditStore.open(file, { readonly: !readable });
  });
  await rejection(h.log.record(callInput(1)));
  assert.match(h.log.refusal()!.message, /is read-only/);
  readable = true;
  h.clock.advance(RETRY_MS);
  assert.equal(h.log.refusal(), undefined);
  assert.deepEqual(h.onDisk().map((e) => e.reason), ['call 1']);
});

test('pending cap: a warning well before the cap, then refusal at the cap until the collector takes events', async (t) => {
  const h = await harness(t, { required: true, sink: { ...SINK, maxPendingMegabytes: 1, warnPendingPercent: 20 } });
  const cap = 1024 * 1024;
  // About 4 kB each: ~50 events are 20 % of 1 MB.
  await Promise.all(Array.from({ length: 40 }, (_, i) => h.log.record(bulky(i))));
  h.sealed();
  assert.equal(h.log.health().warning, undefined);
  await Promise.all(Array.from({ length: 20 }, (_, i) => h.log.record(bulky(40 + i))));
  h.sealed();
  const pending = h.log.current!.pending().bytes;
  assert.ok(pending >= cap * 0.2 && pending < cap * 0.3, `${pending} B pending`);
  assert.match(h.log.health().warning ?? '', /^\d+\.\d KB of audit events are waiting for the collector \(2\d% of the 1 MB allowed\); connect to the company network, then run gatehouse audit sync --now$/);
  assert.equal(h.log.health().ok, true, 'a warning is not a failure');
  assert.equal(h.log.refusal(), undefined);
  h.clock.advance(RETRY_MS);
  assert.equal(h.logger.at('warn').length, 1, 'the warning is logged');
  h.clock.advance(RETRY_MS);
  assert.equal(h.logger.at('warn').length, 1, 'once, not every check');

  let n = 60;
  while (h.log.refusal() === undefined && n < 400) {
    await h.log.record(bulky(n++));
    h.sealed();
  }
  const refusal = h.log.refusal();
  assert.ok(refusal, 'refused at the cap');
  assert.match(refusal.message, /of audit events are waiting for the collector, the most policy allows \(1 MB\): tool calls are refused/);
  assert.equal(h.log.health().ok, false);
  const atCap = h.onDisk().length;
  await rejection(h.log.record(callInput(999)));
  assert.equal(h.onDisk().length, atCap, 'nothing more is written past the cap');

  // The collector acknowledges everything: the next check lifts the refusal and writes what waited.
  h.log.current!.acknowledge(atCap, h.clock.now());
  h.clock.advance(RETRY_MS);
  assert.equal(h.log.refusal(), undefined);
  assert.equal(h.log.health().warning, undefined);
  assert.equal(h.onDisk().at(-1)!.reason, 'call 999');
});

test('without a collector there is no pending cap', async (t) => {
  const h = await harness(t, { required: true });
  await Promise.all(Array.from({ length: 300 }, (_, i) => h.log.record(bulky(i))));
  assert.equal(h.log.refusal(), undefined);
  assert.equal(h.log.health().warning, undefined);
});

test('retention runs hourly and deletes only events the collector acknowledged', async (t) => {
  const h = await harness(t, { retention: { days: 1 }, sink: SINK });
  // Two days old, so past the one day retention at the first hourly run.
  await Promise.all(Array.from({ length: 10 }, (_, i) => h.log.record(callInput(i, { time: T0 - 2 * 86_400_000 }))));
  h.log.current!.acknowledge(4, h.clock.now());
  h.clock.advance(59 * 60_000);
  assert.equal(h.onDisk().length, 10, 'not before the hour');
  h.clock.advance(60_000);
  assert.deepEqual(h.onDisk().map((e) => e.seq), [5, 6, 7, 8, 9, 10]);
  assert.equal(h.log.current!.lastCheckpoint()?.nextSeq, 5);
});

test('keeps reports what policy says to keep of arguments and elicitation answers', async (t) => {
  assert.deepEqual((await harness(t, {})).log.keeps, { arguments: 'redacted', elicitationAnswers: false });
  assert.deepEqual((await harness(t, { arguments: 'keys', elicitationAnswers: true })).log.keeps, { arguments: 'keys', elicitationAnswers: true });
});

test('events from hostile servers are clipped to what the store reads back', async (t) => {
  const { log, sealed } = await harness(t, {});
  await log.record(callInput(1, { tool: 't'.repeat(10_000), steps: Array.from({ length: 50 }, () => ({ step: 's'.repeat(100), outcome: 'allow' })) }));
  const [event] = sealed();
  assert.equal(event!.tool!.length, 500);
  assert.ok(event!.tool!.endsWith('…'));
  assert.equal(event!.steps!.length, 32);
  assert.equal(event!.steps![0]!.step.length, 64);
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('arguments "redacted" keeps the arguments DLP scanned (masked), never the raw ones', () => {
  const raw = { query: 'key AKIAIOSFODNN7EXAMPLE', limit: 5 };
  const masked = { query: 'key AKIA…MPLE', limit: 5 };
  const kept = auditArguments('redacted', raw, masked);
  assert.deepEqual(kept.arguments, masked);
  assert.equal(kept.argumentsHash, sha256('{"limit":5,"query":"key AKIAIOSFODNN7EXAMPLE"}'), 'the hash is of the raw arguments');
  // Not scanned (or blocked by DLP): nothing says the values are safe to keep, so only their names are.
  assert.deepEqual(auditArguments('redacted', raw, undefined), { arguments: ['query', 'limit'], argumentsHash: kept.argumentsHash });
});

test('arguments "redacted" cuts long strings, long lists, many keys and deep nesting', () => {
  const raw = {
    text: 'a'.repeat(1_000),
    list: Array.from({ length: 40 }, (_, i) => i),
    deep: { l1: { l2: { l3: { l4: { l5: { l6: 'bottom' } } } } } },
    ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])),
  };
  const kept = auditArguments('redacted', raw, raw).arguments as Record<string, unknown>;
  assert.equal(kept['text'], `${'a'.repeat(256)}…(+744 chars)`);
  const list = kept['list'] as unknown[];
  assert.equal(list.length, 33);
  assert.equal(list[32], '…(+8 items)');
  assert.deepEqual(kept['deep'], { l1: { l2: { l3: { l4: { l5: '{…}' } } } } });
  assert.equal(Object.keys(kept).length, 33);
  assert.equal(kept['…'], '+11 keys');
});

test('arguments "keys" keeps only the names, "none" only the hash, and no arguments keep nothing', () => {
  const raw = { repo: 'acme/secret-plans', token: 'ghp_x' };
  const hash = sha256('{"repo":"acme/secret-plans","token":"ghp_x"}');
  assert.deepEqual(auditArguments('keys', raw, undefined), { arguments: ['repo', 'token'], argumentsHash: hash });
  assert.deepEqual(auditArguments('none', raw, undefined), { argumentsHash: hash });
  assert.deepEqual(auditArguments('redacted', undefined, undefined), {});
});

test('the arguments hash is SHA-256 of canonical JSON: the same whatever the key order', () => {
  const a = auditArguments('none', { b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'z' } }, undefined).argumentsHash;
  const b = auditArguments('none', { a: { c: 'z', d: [1, { x: 1, y: 2 }] }, b: 1 }, undefined).argumentsHash;
  assert.equal(a, b);
  assert.equal(a, sha256('{"a":{"c":"z","d":[1,{"x":1,"y":2}]},"b":1}'));
  assert.notEqual(a, auditArguments('none', { b: 2, a: { d: [1, { y: 2, x: 1 }], c: 'z' } }, undefined).argumentsHash);
});
