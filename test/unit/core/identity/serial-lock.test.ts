import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialLock } from '../../../../main/core/identity/serial-lock.js';

test('runs tasks one at a time in the order they were queued, even when one fails', async () => {
  const lock = new SerialLock();
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const first = lock.run(async () => {
    events.push('first start');
    await gate;
    events.push('first end');
    throw new Error('first failed');
  });
  const second = lock.run(async () => {
    events.push('second');
    return 2;
  });
  await Promise.resolve();
  assert.deepEqual(events, ['first start']);
  release();
  await assert.rejects(first, /first failed/);
  assert.equal(await second, 2);
  assert.deepEqual(events, ['first start', 'first end', 'second']);
});
