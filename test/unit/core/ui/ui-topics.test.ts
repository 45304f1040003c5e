// Topic listeners: told at once, a burst merged into one more call per interval, a failing listener
// kept away from the others, nothing after unsubscribe or close.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../../main/core/ports/logger.js';
import { UiTopics } from '../../../../main/core/ui/ui-topics.js';
import { ManualClock } from '../../../helpers/manual-clock.js';

function topics() {
  const clock = new ManualClock(1_800_000_000_000);
  return { clock, topics: new UiTopics(clock, silentLogger, 250) };
}

test('the first change is told at once; a burst after it reaches the listener once more, when the interval has passed', () => {
  const { clock, topics: t } = topics();
  let calls = 0;
  t.subscribe('activity', () => calls++);
  t.publish('activity');
  assert.equal(calls, 1);
  for (let i = 0; i < 100; i++) t.publish('activity');
  assert.equal(calls, 1, 'merged while the interval runs');
  clock.advance(249);
  assert.equal(calls, 1);
  clock.advance(1);
  assert.equal(calls, 2, 'one call for the whole burst');
  clock.advance(10_000);
  assert.equal(calls, 2, 'nothing more without a change');
  t.publish('activity');
  assert.equal(calls, 3, 'a change after a quiet interval is told at once');
});

test('topics are independent, and only their own listeners are told', () => {
  const { topics: t } = topics();
  const told: string[] = [];
  t.subscribe('dashboard', () => told.push('dashboard'));
  t.subscribe('prompts', () => told.push('prompts'));
  t.publish('prompts');
  t.publish('dashboard');
  assert.deepEqual(told, ['prompts', 'dashboard']);
  assert.equal(t.watched('activity'), false);
  assert.equal(t.watched('prompts'), true);
});

test('a listener that throws does not keep the others from being told', () => {
  const { topics: t } = topics();
  let told = 0;
  t.subscribe('prompts', () => {
    throw new Error('broken view');
  });
  t.subscribe('prompts', () => told++);
  t.publish('prompts');
  assert.equal(told, 1);
});

test('nobody is told after unsubscribing or after close, and a pending call is dropped on close', () => {
  const { clock, topics: t } = topics();
  let a = 0;
  let b = 0;
  const stopA = t.subscribe('activity', () => a++);
  t.subscribe('activity', () => b++);
  t.publish('activity');
  stopA();
  t.publish('activity');
  clock.advance(250);
  assert.deepEqual([a, b], [1, 2]);
  t.publish('activity');
  t.close();
  clock.advance(1_000);
  t.publish('activity');
  assert.deepEqual([a, b], [1, 2]);
  assert.equal(t.watched('activity'), false);
});
