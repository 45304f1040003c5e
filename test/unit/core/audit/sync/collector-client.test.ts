import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Agent } from 'undici';
import { JSON_LINES_CONTENT_TYPE, toJsonLines } from '../../../../../main/core/audit/export/jsonl.js';
import { OTLP_CONTENT_TYPE, toOtlpLogs } from '../../../../../main/core/audit/export/otlp.js';
import { backoffMs, deliverBatch, type DeliverOptions, type DeliveryOutcome } from '../../../../../main/core/audit/sync/collector-client.js';
import { startAuditCollector, type AuditCollector } from '../../../../fixtures/audit-collector.js';
import { auditEvents, TEST_DEVICE } from '../../../../helpers/audit-events.js';

const events = auditEvents(3);

async function collectorFor(t: TestContext): Promise<AuditCollector> {
  const collector = await startAuditCollector();
  t.after(() => collector.close());
  return collector;
}

function send(collector: AuditCollector, overrides: Partial<DeliverOptions> = {}): Promise<DeliveryOutcome> {
  return deliverBatch({ url: collector.url, body: toJsonLines(events), contentType: JSON_LINES_CONTENT_TYPE, headers: {}, timeoutMs: 5_000, ...overrides });
}

function retryOf(outcome: DeliveryOutcome): Extract<DeliveryOutcome, { kind: 'retry' }> {
  assert.equal(outcome.kind, 'retry', JSON.stringify(outcome));
  return outcome as Extract<DeliveryOutcome, { kind: 'retry' }>;
}

function parkedOf(outcome: DeliveryOutcome): Extract<DeliveryOutcome, { kind: 'parked' }> {
  assert.equal(outcome.kind, 'parked', JSON.stringify(outcome));
  return outcome as Extract<DeliveryOutcome, { kind: 'parked' }>;
}

test('delivers a JSON lines batch the collector accepts, with the policy headers and our content type', async (t) => {
  const collector = await collectorFor(t);
  const outcome = await send(collector, { headers: { authorization: 'Bearer abc', 'Content-Type': 'text/plain' } });
  assert.deepEqual(outcome, { kind: 'delivered' });
  assert.deepEqual(collector.uniqueIds(), events.map((e) => e.id));
  const [received] = collector.received;
  assert.equal(received!.format, 'jsonl');
  assert.equal(received!.method, 'POST');
  assert.equal(received!.path, '/v1/logs');
  assert.equal(received!.headers['authorization'], 'Bearer abc');
  assert.equal(received!.headers['content-type'], JSON_LINES_CONTENT_TYPE);
});

test('delivers an OTLP batch', async (t) => {
  const collector = await collectorFor(t);
  const body = JSON.stringify(toOtlpLogs(events, { device: TEST_DEVICE, version: '1.0.0' }));
  assert.deepEqual(await send(collector, { body, contentType: OTLP_CONTENT_TYPE }), { kind: 'delivered' });
  assert.equal(collector.received[0]!.format, 'otlp');
  assert.deepEqual(collector.uniqueIds(), events.map((e) => e.id));
});

test('any 2xx counts as delivered', async (t) => {
  const collector = await collectorFor(t);
  collector.answerNext([{ status: 202 }, { status: 204 }]);
  assert.deepEqual(await send(collector), { kind: 'delivered' });
  assert.deepEqual(await send(collector), { kind: 'delivered' });
});

test('retries a 429 after the seconds in Retry-After', async (t) => {
  const collector = await collectorFor(t);
  collector.setMode({ status: 429, retryAfter: '7', body: 'slow down' });
  const outcome = retryOf(await send(collector));
  assert.equal(outcome.retryAfterMs, 7_000);
  assert.match(outcome.reason, /429 Too Many Requests: slow down/);
});

test('retries a 429 at the HTTP date in Retry-After', async (t) => {
  const collector = await collectorFor(t);
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  collector.setMode({ status: 429, retryAfter: 'Wed, 21 Oct 2026 07:28:30 GMT' });
  assert.equal(retryOf(await send(collector, { now: () => now })).retryAfterMs, 30_000);
});

test('keeps Retry-After between now and an hour, and ignores one it cannot read', async (t) => {
  const collector = await collectorFor(t);
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  const after = async (retryAfter: string) => {
    collector.setMode({ status: 503, retryAfter });
    return retryOf(await send(collector, { now: () => now })).retryAfterMs;
  };
  assert.equal(await after('86400'), 3_600_000);
  assert.equal(await after('Thu, 22 Oct 2026 07:28:00 GMT'), 3_600_000);
  assert.equal(await after('Tue, 20 Oct 2026 07:28:00 GMT'), 0);
  assert.equal(await after('0'), 0);
  assert.equal(await after('soon'), undefined);
  assert.equal(await after('1.5'), undefined);
});

test('retries 502, 503 and 504: the collector or its proxy may recover', async (t) => {
  const collector = await collectorFor(t);
  for (const status of [502, 503, 504]) {
    collector.setMode({ status });
    const outcome = retryOf(await send(collector));
    assert.equal(outcome.retryAfterMs, undefined);
    assert.match(outcome.reason, new RegExp(`answered ${status}`));
  }
});

test('parks a 500 instead of retrying it forever, quoting the collector', async (t) => {
  const collector = await collectorFor(t);
  collector.setMode({ status: 500, body: 'index audit-2026 is read-only' });
  const outcome = parkedOf(await send(collector));
  assert.equal(outcome.status, 500);
  assert.equal(outcome.reason, 'the collector answered 500 Internal Server Error: index audit-2026 is read-only');
});

test('parks 400, 401, 403, 404, 413 and a redirect: waiting will not change them', async (t) => {
  const collector = await collectorFor(t);
  for (const status of [400, 401, 403, 404, 413, 301, 302, 307]) {
    collector.setMode({ status });
    assert.equal(parkedOf(await send(collector)).status, status);
  }
});

test('says so when the collector answers an error with no body', async (t) => {
  const collector = await collectorFor(t);
  collector.setMode({ status: 404 });
  assert.equal(parkedOf(await send(collector)).reason, 'the collector answered 404 Not Found with no body');
});

test('retries a collector that accepts the connection and never answers, once the timeout passes', async (t) => {
  const collector = await collectorFor(t);
  collector.setMode('hang');
  const outcome = retryOf(await send(collector, { timeoutMs: 200 }));
  assert.equal(outcome.reason, 'the collector did not answer within 200 ms');
  assert.equal(collector.received[0]!.answer, 'hang');
  assert.deepEqual(collector.uniqueIds(), []);
});

test('retries a collector that has vanished, and delivers once it is back', async (t) => {
  const collector = await collectorFor(t);
  assert.deepEqual(await send(collector), { kind: 'delivered' });
  await collector.vanish();
  const outcome = retryOf(await send(collector));
  assert.match(outcome.reason, /^could not reach the collector \(ECONNREFUSED\)/);
  await collector.comeBack();
  assert.deepEqual(await send(collector), { kind: 'delivered' });
  assert.deepEqual(collector.duplicates(), events.map((e) => e.id));
});

test('retries when the collector\'s name does not resolve', async (t) => {
  // A resolver that fails at once, so the test does not depend on this machine's DNS.
  const dispatcher = new Agent({
    connect: { lookup: (hostname, _options, callback) => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4) },
  });
  t.after(() => dispatcher.close());
  const outcome = retryOf(await deliverBatch({
    url: 'http://collector.example.invalid/v1/logs', body: '', contentType: JSON_LINES_CONTENT_TYPE, headers: {}, timeoutMs: 5_000, dispatcher,
  }));
  assert.equal(outcome.reason, 'could not reach the collector (ENOTFOUND): getaddrinfo ENOTFOUND collector.example.invalid');
});

test('a cancelled delivery is retried later, not parked', async (t) => {
  const collector = await collectorFor(t);
  collector.setMode('hang');
  const controller = new AbortController();
  const pending = send(collector, { signal: controller.signal });
  await collector.waitFor((c) => c.received.length === 1);
  controller.abort();
  assert.equal(retryOf(await pending).reason, 'the delivery was cancelled before the collector answered');
});

test('quotes at most about 300 printable characters of the body', async (t) => {
  const collector = await collectorFor(t);
  collector.setMode({ status: 400, body: `\u001b[31mbad\u001b[0m\r\n\tfield\u202e "time"\u0000 ${'x'.repeat(5_000)}` });
  const { reason } = parkedOf(await send(collector));
  assert.match(reason, /^the collector answered 400 Bad Request: \[31mbad \[0m field "time" x+…$/);
  assert.ok(reason.length <= 'the collector answered 400 Bad Request: '.length + 300, `too long: ${reason.length}`);
  assert.doesNotMatch(reason, /[\u0000-\u001f\u007f\u202e]/);
});

test('never puts header values in a reason, even when the collector echoes them', async (t) => {
  const collector = await collectorFor(t);
  const headers = { authorization: 'Bearer sk-live-0123456789abcdef', 'x-api-key': 'k-98765' };
  collector.setMode({ status: 401, body: 'rejected Bearer sk-live-0123456789abcdef; also token sk-live-0123456789abcdef and key k-98765' });
  const { reason } = parkedOf(await send(collector, { headers }));
  assert.equal(reason, 'the collector answered 401 Unauthorized: rejected [redacted]; also token [redacted] and key [redacted]');
  // An echo cut where the excerpt ends must not leave the start of the secret either.
  collector.setMode({ status: 503, body: `${'\n'.repeat(4_090)}sk-live-0123456789abcdef` });
  const retry = retryOf(await send(collector, { headers }));
  assert.doesNotMatch(retry.reason, /sk-liv/);
});

test('a large error page does not stall the next delivery on the same connection', async (t) => {
  const collector = await collectorFor(t);
  const dispatcher = new Agent({ connections: 1 });
  t.after(() => dispatcher.close());
  collector.answerNext([{ status: 500, body: 'x'.repeat(1_000_000) }, { status: 400, body: 'short' }]);
  assert.equal(parkedOf(await send(collector, { dispatcher, timeoutMs: 2_000 })).status, 500);
  assert.equal(parkedOf(await send(collector, { dispatcher, timeoutMs: 2_000 })).status, 400);
  assert.deepEqual(await send(collector, { dispatcher, timeoutMs: 2_000 }), { kind: 'delivered' });
});

test('backs off exponentially from 1 s up to 5 minutes, with full jitter', () => {
  const top = () => 0.999_999;
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 50].map((attempt) => backoffMs(attempt, top)), [
    999, 1_999, 3_999, 7_999, 15_999, 31_999, 63_999, 127_999, 255_999, 299_999, 299_999, 299_999,
  ]);
  assert.equal(backoffMs(1, () => 0), 0);
  assert.equal(backoffMs(3, () => 0.5), 2_000);
  assert.equal(backoffMs(10_000, () => 0.5), 150_000);
  assert.equal(backoffMs(Number.POSITIVE_INFINITY, () => 0.5), 150_000);
  // A nonsensical attempt count waits like a first retry rather than not at all or forever.
  assert.equal(backoffMs(0, () => 0.5), 500);
  assert.equal(backoffMs(Number.NaN, () => 0.5), 500);
});
