import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../main/core/ports/logger.js';
import { createNotifier, type NotificationFactory } from '../../../main/electron/notifications.js';

function fakeFactory(supported = true) {
  const shown: Array<{ options: unknown; fire(event: 'click' | 'close'): void }> = [];
  const factory: NotificationFactory = {
    isSupported: () => supported,
    create(options) {
      const listeners = new Map<string, () => void>();
      const n = { on: (event: string, l: () => void) => listeners.set(event, l), show: () => void shown.push({ options, fire: (e) => listeners.get(e)?.() }) };
      return n;
    },
  };
  return { shown, factory };
}

const lines: string[] = [];
const logger: Logger = { log: (level, message) => void lines.push(`${level} ${message}`) };

test('shows a notice with its title and body, and runs its click action', () => {
  const { shown, factory } = fakeFactory();
  let clicked = 0;
  createNotifier(factory, logger)({ level: 'warning', title: 'Tool on hold', message: 'search changed', onClick: () => clicked++ });
  assert.deepEqual(shown[0]?.options, { title: 'Tool on hold', body: 'search changed', silent: false, urgency: 'normal' });
  shown[0]?.fire('click');
  assert.equal(clicked, 1);
});

test('info is silent, errors are critical, and long bodies are cut', () => {
  const { shown, factory } = fakeFactory();
  const notify = createNotifier(factory, logger);
  notify({ level: 'info', title: 't', message: 'x'.repeat(2_000) });
  notify({ level: 'error', title: 't', message: 'm' });
  const [info, error] = shown.map((s) => s.options as { silent: boolean; urgency: string; body: string });
  assert.equal(info?.silent, true);
  assert.equal(info?.body.length, 500);
  assert.equal(error?.urgency, 'critical');
});

test('where the OS has no notifications, the log still has the notice', () => {
  const { shown, factory } = fakeFactory(false);
  lines.length = 0;
  createNotifier(factory, logger)({ level: 'warning', title: 'Tool on hold', message: 'search changed' });
  assert.deepEqual(shown, []);
  assert.deepEqual(lines, ['warn Tool on hold: search changed']);
});
