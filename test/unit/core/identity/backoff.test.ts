import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../../../main/core/identity/backoff.js';
import { ManualClock } from '../../../helpers/manual-clock.js';

test('delays grow exponentially up to the ceiling, each at least half its step', () => {
  const clock = new ManualClock(0);
  const low = new Backoff({ clock, baseMs: 1_000, maxMs: 10_000, random: () => 0 });
  const high = new Backoff({ clock, baseMs: 1_000, maxMs: 10_000, random: () => 0.999999 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => low.failed()), [500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => high.failed()), [1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
});

test('jitter spreads delays between half and the whole step', () => {
  const clock = new ManualClock(0);
  const delays = [0.1, 0.5, 0.9].map((r) => new Backoff({ clock, baseMs: 1_000, random: () => r }).failed());
  assert.deepEqual(delays, [550, 750, 950]);
});

test('waits until the chosen time passes on the injected clock, and success resets', () => {
  const clock = new ManualClock(1_000_000);
  const backoff = new Backoff({ clock, baseMs: 1_000, random: () => 0.5 });
  assert.equal(backoff.waiting(), false);
  const delay = backoff.failed();
  assert.equal(backoff.notBefore, 1_000_000 + delay);
  assert.equal(backoff.waiting(), true);
  clock.advance(delay - 1);
  assert.equal(backoff.waiting(), true);
  clock.advance(1);
  assert.equal(backoff.waiting(), false);
  backoff.failed();
  backoff.succeeded();
  assert.equal(backoff.waiting(), false);
  assert.equal(backoff.failures, 0);
});

test('a clock set back does not stretch the wait beyond the chosen delay', () => {
  const clock = new ManualClock(10_000_000);
  const backoff = new Backoff({ clock, baseMs: 1_000, random: () => 0.5 });
  backoff.failed();
  clock.set(10_000_000 - 600_000);
  assert.equal(backoff.waiting(), false);
});
