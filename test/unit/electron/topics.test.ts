import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UI_TOPICS, type UiTopic } from '../../../common/ui-api.js';
import { forwardTopics, type TopicTarget } from '../../../main/electron/topics.js';

function fakeUi() {
  const listeners = new Map<UiTopic, Set<() => void>>();
  return {
    listeners,
    subscribe(topic: UiTopic, listener: () => void) {
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
    publish(topic: UiTopic) {
      for (const listener of listeners.get(topic) ?? []) listener();
    },
  };
}

function target(destroyed = false) {
  const sent: unknown[][] = [];
  const t: TopicTarget & { sent: unknown[][] } = { sent, isDestroyed: () => destroyed, send: (...args) => void sent.push(args) };
  return t;
}

test('sends gatehouse:topic with the topic name to every open window, skipping destroyed ones', () => {
  const ui = fakeUi();
  const open = target();
  const closed = target(true);
  forwardTopics(ui, () => [open, closed]);
  ui.publish('prompts');
  ui.publish('activity');
  assert.deepEqual(open.sent, [['gatehouse:topic', 'prompts'], ['gatehouse:topic', 'activity']]);
  assert.deepEqual(closed.sent, []);
});

test('subscribes to every topic, and the returned function unsubscribes them all', () => {
  const ui = fakeUi();
  const stop = forwardTopics(ui, () => []);
  assert.deepEqual([...ui.listeners.keys()].sort(), [...UI_TOPICS].sort());
  stop();
  assert.ok([...ui.listeners.values()].every((set) => set.size === 0));
});

test('reaches windows opened after it started', () => {
  const ui = fakeUi();
  const windows: TopicTarget[] = [];
  forwardTopics(ui, () => windows);
  const late = target();
  windows.push(late);
  ui.publish('dashboard');
  assert.deepEqual(late.sent, [['gatehouse:topic', 'dashboard']]);
});
