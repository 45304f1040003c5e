import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { UiTopic } from '../../../common/ui-api.js';
import { UI_IPC_CHANNELS } from '../../../common/ui-ipc.js';
import { createGatehouseApi, type IpcRendererLike } from '../../../preload/gatehouse-api.js';

/** ipcRenderer as far as the bridge sees it: invoke goes to `answer`, and on/removeListener are real. */
class FakeIpcRenderer extends EventEmitter implements IpcRendererLike {
  readonly invoked: unknown[][] = [];
  constructor(private readonly answer: (...args: unknown[]) => Promise<unknown>) {
    super();
  }
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return this.answer(...args);
  }
}

test('exposes call and subscribe, and nothing else, frozen', () => {
  const api = createGatehouseApi(new FakeIpcRenderer(async () => undefined));
  assert.deepEqual(Object.keys(api).sort(), ['call', 'subscribe']);
  assert.ok(Object.isFrozen(api));
  assert.ok(!('ipcRenderer' in api) && !('invoke' in api) && !('send' in api));
});

test('call invokes gatehouse:call with the name and request, and returns the envelope as it came', async () => {
  const ipc = new FakeIpcRenderer(async () => ({ ok: true, value: { paused: true } }));
  const api = createGatehouseApi(ipc);
  assert.deepEqual(await api.call('tools.setPaused', { paused: true }), { ok: true, value: { paused: true } });
  assert.deepEqual(ipc.invoked, [[UI_IPC_CHANNELS.call, 'tools.setPaused', { paused: true }]]);
});

test('call never rejects: a failed invoke (the host is gone) becomes an envelope error', async () => {
  const api = createGatehouseApi(new FakeIpcRenderer(() => Promise.reject(new Error("Error invoking remote method 'gatehouse:call'"))));
  const answer = await api.call('dashboard.get', {});
  assert.equal(answer.ok, false);
  assert.equal(!answer.ok && answer.error.code, 'GATEHOUSE_BROKER_NOT_RUNNING', 'the same code the browser page gives when Gatehouse is gone');
});

test('subscribe calls the listener for its own topic only, with no arguments (no IPC event reaches the page)', () => {
  const ipc = new FakeIpcRenderer(async () => undefined);
  const api = createGatehouseApi(ipc);
  const seen: unknown[][] = [];
  api.subscribe('prompts', (...args: unknown[]) => void seen.push(args));
  const event = { sender: ipc };
  ipc.emit(UI_IPC_CHANNELS.topic, event, 'dashboard');
  ipc.emit(UI_IPC_CHANNELS.topic, event, 'prompts');
  ipc.emit('some-other-channel', event, 'prompts');
  assert.deepEqual(seen, [[]]);
});

test('the unsubscribe function removes exactly its listener, once', () => {
  const ipc = new FakeIpcRenderer(async () => undefined);
  const api = createGatehouseApi(ipc);
  let a = 0;
  let b = 0;
  const stopA = api.subscribe('dashboard', () => a++);
  api.subscribe('dashboard', () => b++);
  stopA();
  stopA();
  ipc.emit(UI_IPC_CHANNELS.topic, {}, 'dashboard');
  assert.deepEqual([a, b], [0, 1]);
  assert.equal(ipc.listenerCount(UI_IPC_CHANNELS.topic), 1);
});

test('subscribe to a topic UI_TOPICS does not list adds no listener', () => {
  const ipc = new FakeIpcRenderer(async () => undefined);
  const api = createGatehouseApi(ipc);
  const stop = api.subscribe('secrets' as UiTopic, () => assert.fail('called'));
  ipc.emit(UI_IPC_CHANNELS.topic, {}, 'secrets');
  assert.equal(ipc.listenerCount(UI_IPC_CHANNELS.topic), 0);
  stop();
});
