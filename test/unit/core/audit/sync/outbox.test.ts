// The outbox against a real collector on loopback that fails on demand. Time is a clock the test
// steps: every wait the outbox schedules (interval, backoff, Retry-After) is handed to the test,
// which checks it and fires it, so retries happen when the test says and nothing sleeps.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { AuditSinkSchema, type AuditSinkPolicy } from '../../../../../main/core/audit/audit-policy.js';
import type { AuditStore } from '../../../../../main/core/audit/store/audit-store.js';
import { auditSecretAccount, resolveSinkHeaders } from '../../../../../main/core/audit/sync/sink-headers.js';
import { Outbox, type OutboxOptions } from '../../../../../main/core/audit/sync/outbox.js';
import type { Clock } from '../../../../../main/core/ports/clock.js';
import type { Logger, LogLevel } from '../../../../../main/core/ports/logger.js';
import { MemorySecretStore } from '../../../../../main/core/secrets/memory-secret-store.js';
import { startAuditCollector, type AuditCollector } from '../../../../fixtures/audit-collector.js';
import { callInputs, openStore, tempAuditFile } from '../../../../fixtures/audit/temp-store.js';

const T0 = 1_767_225_600_000;
const FAILSAFE_MS = 20_000;

interface Scheduled {
  readonly ms: number;
  cancelled: boolean;
  fire(): void;
}

/** A Clock whose timers the test receives (`next`) and fires itself; time moves only when one fires. */
class StepClock implements Clock {
  #now = T0;
  #set: Scheduled[] = [];
  #waiters: ((timer: Scheduled) => void)[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer: Scheduled = {
      ms,
      cancelled: false,
      fire: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        this.#now += ms;
        fn();
      },
    };
    const waiter = this.#waiters.shift();
    if (waiter) waiter(timer);
    else this.#set.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Hands back a timer taken with `next` but not fired: the next `next` returns it again. */
  putBack(timer: Scheduled): void {
    this.#set.unshift(timer);
  }

  /** The next timer set and not cancelled, once the code under test sets it. */
  async next(): Promise<Scheduled> {
    for (;;) {
      const timer =
        this.#set.shift() ??
        (await new Promise<Scheduled>((resolve, reject) => {
          // A failsafe only, turning a stuck outbox into a message.
          const failsafe = setTimeout(() => reject(new Error('the outbox scheduled nothing')), FAILSAFE_MS);
          this.#waiters.push((t) => {
            clearTimeout(failsafe);
            resolve(t);
          });
        }));
      if (!timer.cancelled) return timer;
    }
  }
}

class Lines implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];
  log(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
  }
}

interface Rig {
  collector: AuditCollector;
  store: AuditStore;
  file: string;
  sink: AuditSinkPolicy;
  clock: StepClock;
  logger: Lines;
  outbox: Outbox;
  /** Another outbox on the same database, through its own connection. */
  another(): Outbox;
  /** Every event id in the store, in seq order. */
  ids(): string[];
  /** Fires the outbox's timers until `done` holds once it has scheduled its next wait; returns the waits it asked for. */
  runUntil(done: () => boolean): Promise<number[]>;
}

async function rig(t: TestContext, options: { events?: number; sink?: Record<string, unknown>; headers?: OutboxOptions['headers'] } = {}): Promise<Rig> {
  const outboxes: Outbox[] = [];
  const collector = await startAuditCollector();
  // Registered before the database's hook, so shipping stops before the database is closed and removed.
  t.after(async () => {
    await Promise.all(outboxes.map((o) => o.stop()));
    await collector.close();
  });
  const file = await tempAuditFile(t);
  const store = openStore(file);
  for (let from = 1; from <= (options.events ?? 0); from += 10_000) store.append(callInputs(Math.min(10_000, (options.events ?? 0) - from + 1), from), T0);
  const sink = AuditSinkSchema.parse({ url: collector.url, batchSize: 50, intervalSeconds: 1, timeoutSeconds: 1, ...options.sink });
  const clock = new StepClock();
  const logger = new Lines();
  const make = (of: AuditStore): Outbox => {
    const outbox = new Outbox({
      store: () => of,
      sink,
      headers: options.headers ?? (async () => ({})),
      resource: { version: '0.1.0-test', host: 'test-host' },
      clock,
      logger,
      // Half of each backoff ceiling: 500 ms, 1 s, 2 s… so the waits can be checked.
      random: () => 0.5,
    });
    outboxes.push(outbox);
    return outbox;
  };
  return {
    collector,
    store,
    file,
    sink,
    clock,
    logger,
    outbox: make(store),
    another: () => make(openStore(file)),
    ids: () => store.rowsAfter(0, 1_000_000).map((row) => row.id),
    async runUntil(done) {
      const waits: number[] = [];
      for (let fired = 0; fired < 1_000; fired++) {
        const timer = await clock.next();
        if (done()) {
          clock.putBack(timer);
          return waits;
        }
        waits.push(timer.ms);
        timer.fire();
      }
      throw new Error(`still not done after 1,000 timers (waits: ${waits.slice(-10).join(', ')})`);
    },
  };
}

function assertDeliveredOnce(r: Rig): void {
  assert.deepEqual(r.collector.duplicates(), [], 'no event delivered twice');
  assert.deepEqual(r.collector.uniqueIds(), r.ids(), 'every event, in order');
  assert.equal(r.store.pending().events, 0, 'all acknowledged');
  assert.equal(r.store.outbox().ackedSeq, r.store.head().seq);
}

test('ships every event in order, in batches of batchSize, and acknowledges them', async (t) => {
  const r = await rig(t, { events: 120 });
  assert.deepEqual(await r.outbox.syncNow(), { sent: 120, pending: 0 });
  assert.deepEqual(r.collector.received.map((req) => [req.answer, req.ids.length]), [[200, 50], [200, 50], [200, 20]]);
  assert.deepEqual(r.collector.acceptedIds(), r.ids());
  assertDeliveredOnce(r);
  assert.equal(r.store.outbox().lastSuccess, T0);
  assert.deepEqual(await r.outbox.syncNow(), { sent: 0, pending: 0 }, 'nothing more to send');
  assert.equal(r.collector.received.length, 3);
});

test('in the background it ships at once, then every interval what was written since', async (t) => {
  const r = await rig(t, { events: 70 });
  r.outbox.start();
  const first = await r.clock.next();
  assert.equal(first.ms, 0, 'at once');
  first.fire();
  const interval = await r.clock.next();
  assert.equal(interval.ms, 1_000, 'then after intervalSeconds');
  assert.equal(r.collector.uniqueIds().length, 70);
  r.store.append(callInputs(30, 71), T0);
  interval.fire();
  await r.runUntil(() => r.collector.uniqueIds().length === 100);
  assertDeliveredOnce(r);
});

test('a 503 outage over many batches, then recovery: every event exactly once, with growing backoff', async (t) => {
  const r = await rig(t, { events: 120 });
  r.collector.setMode({ status: 503, body: 'down for maintenance' });
  r.outbox.start();
  // Events keep coming during the outage: ten batches' worth wait by the end.
  let appended = 0;
  const waits = await r.runUntil(() => {
    if (r.collector.received.length >= 8) return true;
    r.store.append(callInputs(50, r.store.head().seq + 1), T0);
    appended += 50;
    return false;
  });
  assert.deepEqual(waits, [0, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000], 'exponential backoff (jitter pinned at half)');
  assert.equal(r.collector.received.length, 8);
  assert.equal(appended, 400);
  assert.equal(r.store.pending().events, 520, 'ten batches and more wait');
  assert.match(r.store.outbox().lastError ?? '', /the collector answered 503 Service Unavailable: down for maintenance/);
  assert.equal(r.store.outbox().parked, false, 'a 503 is retried, not parked');

  r.collector.setMode('ok');
  await r.runUntil(() => r.store.pending().events === 0);
  assert.equal(r.collector.uniqueIds().length, 520);
  assertDeliveredOnce(r);
  assert.equal(r.store.outbox().lastError, undefined, 'success clears the error');
});

test('429 with Retry-After waits as long as the collector asks, and loses nothing', async (t) => {
  const r = await rig(t, { events: 200 });
  r.collector.answerNext([{ status: 429, retryAfter: '7' }, { status: 429, retryAfter: '30' }, 'ok', { status: 429, retryAfter: '2' }]);
  r.outbox.start();
  const waits = await r.runUntil(() => r.store.pending().events === 0);
  // Retry-After wins over a shorter backoff; after the success the attempt count starts again.
  assert.deepEqual(waits, [0, 7_000, 30_000, 2_000]);
  assertDeliveredOnce(r);
});

test('other 502 and 504 answers are retried too', async (t) => {
  const r = await rig(t, { events: 10 });
  r.collector.answerNext([{ status: 502 }, { status: 504 }]);
  r.outbox.start();
  await r.runUntil(() => r.store.pending().events === 0);
  assert.deepEqual(r.collector.received.map((req) => req.answer), [502, 504, 200]);
  assertDeliveredOnce(r);
});

test('a 500 parks shipping: no automatic retry, the status shows why, and sync --now ships everything once fixed', async (t) => {
  const r = await rig(t, { events: 120 });
  r.collector.setMode({ status: 500, body: 'schema mismatch' });
  r.outbox.start();
  (await r.clock.next()).fire();
  // However many intervals pass, no request is made while parked.
  for (let i = 0; i < 5; i++) {
    const timer = await r.clock.next();
    assert.equal(timer.ms, 1_000);
    timer.fire();
  }
  await r.clock.next();
  assert.equal(r.collector.received.length, 1);
  const state = r.store.outbox();
  assert.equal(state.parked, true);
  assert.match(state.lastError ?? '', /the collector answered 500 Internal Server Error: schema mismatch/);
  assert.equal(state.lastErrorAt, T0);
  assert.ok(r.logger.lines.some((l) => l.level === 'error' && /shipping is paused until `gatehouse audit sync --now`/.test(l.message)));

  r.collector.setMode('ok');
  assert.deepEqual(await r.outbox.syncNow(), { sent: 120, pending: 0 });
  assertDeliveredOnce(r);
  assert.equal(r.store.outbox().parked, false);
});

test('sync --now while the collector still refuses reports the refusal and stays parked', async (t) => {
  const r = await rig(t, { events: 10 });
  r.collector.setMode({ status: 400, body: 'bad request' });
  const result = await r.outbox.syncNow();
  assert.equal(result.sent, 0);
  assert.equal(result.pending, 10);
  assert.equal(result.parked, true);
  assert.match(result.error ?? '', /400 Bad Request: bad request/);
});

test('a collector that hangs: the request times out, is retried, and nothing is lost or doubled', async (t) => {
  const r = await rig(t, { events: 120 });
  r.collector.answerNext(['ok', 'hang']);
  r.outbox.start();
  const waits = await r.runUntil(() => r.store.pending().events === 0);
  assert.deepEqual(waits, [0, 500]);
  assert.deepEqual(r.collector.received.map((req) => req.answer), [200, 'hang', 200, 200]);
  assert.deepEqual(r.collector.received[1]!.ids, r.collector.received[2]!.ids, 'the batch that timed out is the one sent again');
  assertDeliveredOnce(r);
  assert.ok(r.logger.lines.some((l) => /the collector did not answer within 1000 ms/.test(l.message)));
});

test('a collector that vanishes and comes back: connections refused meanwhile, then everything arrives once', async (t) => {
  const r = await rig(t, { events: 120 });
  r.outbox.start();
  // Done once the drain is over (the next wait is set), so no answer is still on its way back.
  await r.runUntil(() => r.store.pending().events === 0);
  await r.collector.vanish();
  r.store.append(callInputs(200, 121), T0);
  // Fire retries until a few have failed to connect.
  let errors = 0;
  await r.runUntil(() => {
    if (/could not reach the collector \(ECONNREFUSED\)/.test(r.store.outbox().lastError ?? '')) errors++;
    return errors >= 3;
  });
  assert.equal(r.store.pending().events, 200);
  await r.collector.comeBack();
  await r.runUntil(() => r.store.pending().events === 0);
  assertDeliveredOnce(r);
});

for (const format of ['jsonl', 'otlp'] as const) {
  test(`ships in the ${format} format the policy names`, async (t) => {
    const r = await rig(t, { events: 60, sink: { format } });
    assert.deepEqual(await r.outbox.syncNow(), { sent: 60, pending: 0 });
    assert.deepEqual(r.collector.received.map((req) => req.format), [format, format]);
    assertDeliveredOnce(r);
    if (format === 'otlp') {
      const body = JSON.parse(r.collector.received[0]!.body) as { resourceLogs: { resource: { attributes: { key: string; value: { stringValue?: string } }[] } }[] };
      const attributes = Object.fromEntries(body.resourceLogs[0]!.resource.attributes.map((a) => [a.key, a.value.stringValue]));
      assert.equal(attributes['service.instance.id'], r.store.device);
    }
  });
}

test('a header secret missing from the keychain parks shipping with a message saying how to set it', async (t) => {
  const secrets = new MemorySecretStore();
  const sinkHeaders = { headers: { Authorization: { secret: 'collector-token' }, 'X-Tenant': 'acme' } };
  const r = await rig(t, { events: 10, sink: sinkHeaders, headers: () => resolveSinkHeaders(AuditSinkSchema.parse({ url: 'https://x.example', ...sinkHeaders }), secrets) });
  r.outbox.start();
  (await r.clock.next()).fire();
  await r.clock.next();
  assert.equal(r.collector.received.length, 0, 'nothing is sent without the header');
  const state = r.store.outbox();
  assert.equal(state.parked, true);
  assert.match(state.lastError ?? '', /the audit collector's "Authorization" header needs the keychain entry "audit-header:collector-token", which is not set\..* Set it with: gatehouse audit secret set collector-token$/);

  await secrets.set(auditSecretAccount('collector-token'), 'Bearer s3cret-token-value');
  assert.deepEqual(await r.outbox.syncNow(), { sent: 10, pending: 0 });
  assert.equal(r.collector.received[0]!.headers['authorization'], 'Bearer s3cret-token-value');
  assert.equal(r.collector.received[0]!.headers['x-tenant'], 'acme');
});

test('100,000 events sync correctly in batches of 1,000', async (t) => {
  const r = await rig(t, { events: 100_000, sink: { batchSize: 1_000, timeoutSeconds: 30 } });
  r.collector.answerNext([{ status: 503 }, 'ok', 'ok', { status: 429, retryAfter: '1' }]);
  const started = performance.now();
  let result = await r.outbox.syncNow();
  while (result.pending > 0) result = await r.outbox.syncNow();
  const ms = performance.now() - started;
  t.diagnostic(`shipped 100,000 events in ${r.collector.received.length} requests in ${ms.toFixed(0)} ms`);
  assert.equal(r.collector.received.length, 102);
  assert.ok(r.collector.received.every((req) => req.ids.length === 1_000));
  assert.equal(r.collector.uniqueIds().length, 100_000);
  assertDeliveredOnce(r);
  assert.ok(ms < 30_000, `took ${ms.toFixed(0)} ms`);
});

test('two outboxes on one database never send the same batch: the lease holder ships, the other waits', async (t) => {
  const r = await rig(t, { events: 200 });
  const other = r.another();
  r.collector.answerNext(['hang']);
  const first = r.outbox.syncNow();
  await r.collector.waitFor((c) => c.received.length === 1);
  // The first holds the lease while its batch is in flight.
  const refused = await other.syncNow();
  assert.equal(refused.sent, 0);
  assert.equal(refused.pending, 200);
  assert.match(refused.error ?? '', /another Gatehouse process is shipping the audit log/);
  assert.equal(r.collector.received.length, 1, 'the other sent nothing');
  assert.match((await first).error ?? '', /did not answer within/);

  // Both at once: whichever holds the lease ships, the other is told to wait.
  const [mine, theirs] = await Promise.all([r.outbox.syncNow(), other.syncNow()]);
  assert.equal(mine.sent + theirs.sent, 200);
  assertDeliveredOnce(r);
  // Besides the hung one, every request carried a batch no other request carried.
  const accepted = r.collector.received.filter((req) => req.answer === 200).map((req) => req.ids[0]);
  assert.equal(new Set(accepted).size, accepted.length);
});

test('a store that cannot be written does not stop shipping for good: it is reported and tried again', async (t) => {
  const r = await rig(t, { events: 10 });
  const readOnly = openStore(r.file, { readonly: true });
  const outbox = new Outbox({
    store: () => readOnly,
    sink: r.sink,
    headers: async () => ({}),
    resource: { version: '0.1.0-test' },
    clock: r.clock,
    logger: r.logger,
  });
  t.after(() => outbox.stop());
  outbox.start();
  (await r.clock.next()).fire();
  const again = await r.clock.next();
  assert.equal(again.ms, 1_000, 'looks again after the interval');
  assert.ok(r.logger.lines.some((l) => l.level === 'error' && /read-only/.test(l.message)), JSON.stringify(r.logger.lines));
  assert.equal(r.collector.received.length, 0);
});
