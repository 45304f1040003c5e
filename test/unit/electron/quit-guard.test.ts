import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../main/core/ports/logger.js';
import { createQuitGuard } from '../../../main/electron/quit-guard.js';

function quitEvent() {
  const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
  return e;
}

test('holds the first quit until the core stopped, then quits; the quit that follows goes through', async () => {
  const order: string[] = [];
  let finish!: () => void;
  const guard = createQuitGuard({
    stop: () => new Promise<void>((resolve) => (finish = () => (order.push('stopped'), resolve()))),
    quit: () => order.push('quit'),
    logger: silentLogger,
  });
  const first = quitEvent();
  guard(first);
  assert.equal(first.prevented, true);
  const again = quitEvent();
  guard(again);
  assert.equal(again.prevented, true, 'a second Quit while stopping waits too');
  assert.deepEqual(order, []);
  finish();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(order, ['stopped', 'quit']);
  const last = quitEvent();
  guard(last);
  assert.equal(last.prevented, false);
});

test('stops only once, however often quit is asked', async () => {
  let stops = 0;
  let quits = 0;
  const guard = createQuitGuard({ stop: async () => void stops++, quit: () => void quits++, logger: silentLogger });
  guard(quitEvent());
  guard(quitEvent());
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stops, 1);
  assert.equal(quits, 1);
});

test('a stop that fails or hangs does not keep the app alive', async () => {
  let quits = 0;
  createQuitGuard({ stop: () => Promise.reject(new Error('audit flush failed')), quit: () => void quits++, logger: silentLogger })(quitEvent());
  createQuitGuard({ stop: () => new Promise<void>(() => undefined), quit: () => void quits++, logger: silentLogger, timeoutMs: 20 })(quitEvent());
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(quits, 2);
});
