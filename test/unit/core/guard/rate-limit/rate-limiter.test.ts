import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RateLimitsSchema } from '../../../../../main/core/guard/rate-limit/rate-limit-policy.js';
import { RateLimiter, type RateLimitedCall } from '../../../../../main/core/guard/rate-limit/rate-limiter.js';
import { ManualClock } from '../../../../helpers/manual-clock.js';

const DAY = 86_400_000;
const call = (over: Partial<RateLimitedCall> = {}): RateLimitedCall => ({ user: 'dev', client: 'cursor', serverId: 'logs', toolName: 'query', ...over });
const limiter = (input: unknown, clock = new ManualClock(Date.UTC(2026, 10, 21, 12))) => ({ clock, limiter: new RateLimiter(RateLimitsSchema.parse(input), clock) });

describe('rate limits', () => {
  test('a burst passes, then calls are refused with the time to wait until the bucket refills', () => {
    const { clock, limiter: l } = limiter({ tools: [{ server: 'logs', tool: 'query', perMinute: 6, burst: 2 }] });
    assert.ok(l.take(call()).ok);
    assert.ok(l.take(call()).ok);
    const refused = l.take(call());
    assert.ok(!refused.ok);
    assert.equal(refused.code, 'GATEHOUSE_RATE_LIMITED');
    assert.equal(refused.retryAfterMs, 10_000);
    assert.match(refused.message, /'query' of server 'logs' may be called 6 times a minute; try again in 10 s/);
    clock.advance(10_000);
    assert.ok(l.take(call()).ok);
  });

  test('buckets are per user, server and tool', () => {
    const { limiter: l } = limiter({ tools: [{ perMinute: 1 }] });
    assert.ok(l.take(call()).ok);
    assert.ok(!l.take(call()).ok);
    assert.ok(l.take(call({ user: 'sre' })).ok, 'another user has their own bucket');
    assert.ok(l.take(call({ toolName: 'other' })).ok, 'another tool has its own bucket');
    assert.ok(l.take(call({ serverId: 'metrics' })).ok, 'another server has its own bucket');
  });

  test('client limits count every call of one client, whatever the tool', () => {
    const { limiter: l } = limiter({ clients: [{ client: 'cursor', perMinute: 2 }] });
    assert.ok(l.take(call({ toolName: 'a' })).ok);
    assert.ok(l.take(call({ toolName: 'b', serverId: 'x' })).ok);
    const refused = l.take(call({ toolName: 'c' }));
    assert.ok(!refused.ok && /client 'cursor'/.test(refused.message));
    assert.ok(l.take(call({ client: 'vscode' })).ok, 'other clients are not affected');
  });

  test('a daily quota resets at midnight UTC and says when', () => {
    const { clock, limiter: l } = limiter({ tools: [{ tool: 'query', perDay: 2 }] });
    assert.ok(l.take(call()).ok);
    assert.ok(l.take(call()).ok);
    const refused = l.take(call());
    assert.ok(!refused.ok);
    assert.equal(refused.retryAfterMs, 12 * 3_600_000);
    assert.match(refused.message, /daily quota of 2 calls .* resets at 2026-11-22T00:00:00\.000Z \(in 12 h\)/);
    clock.advance(DAY / 2);
    assert.ok(l.take(call()).ok);
  });

  test('a call refused by one rule uses up nothing of the others', () => {
    const { limiter: l } = limiter({ tools: [{ perMinute: 60, burst: 2, perDay: 100 }], clients: [{ perMinute: 1 }] });
    assert.ok(l.take(call()).ok);
    for (let i = 0; i < 5; i++) assert.ok(!l.take(call()).ok, 'the client limit refuses');
    // Had the refused calls taken from the tool bucket (burst 2), this one would be refused too.
    assert.ok(l.take(call({ client: 'other' })).ok);
  });

  test('without rules every call passes', () => {
    const { limiter: l } = limiter({});
    assert.equal(l.enabled, false);
    for (let i = 0; i < 1000; i++) assert.ok(l.take(call()).ok);
  });

  test('a rule must set a limit', () => {
    assert.throws(() => RateLimitsSchema.parse({ tools: [{ tool: 'x' }] }), /set perMinute, perDay or both/);
  });
});
