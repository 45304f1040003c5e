// The preload as a sandboxed window loads it: the CommonJS bundle `npm run build:preload` makes,
// run with a fake `electron` (the only module a sandboxed preload may require).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { buildPreloadBundle } from '../../helpers/preload-bundle.js';

async function loadPreload() {
  const bundle = await buildPreloadBundle();
  const exposed: Array<[string, unknown]> = [];
  const ipcRenderer = Object.assign(new EventEmitter(), { invoke: async (...args: unknown[]) => ({ ok: true, value: args }) });
  const touched = new Set<string>();
  const electron = new Proxy(
    { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.push([key, api]) }, ipcRenderer },
    { get: (target, key: string) => (touched.add(key), target[key as keyof typeof target]) },
  );
  const required: string[] = [];
  const requireFake = (id: string) => {
    required.push(id);
    if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
    return electron;
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', bundle.outputFiles[0]!.text)(requireFake, module, module.exports);
  return { exposed, touched, required, ipcRenderer };
}

test('exposes window.gatehouse, and only it, requiring nothing but electron', async () => {
  const { exposed, touched, required } = await loadPreload();
  assert.deepEqual(required, ['electron']);
  assert.deepEqual(exposed.map(([key]) => key), ['gatehouse']);
  assert.deepEqual(Object.keys(exposed[0]![1] as object).sort(), ['call', 'subscribe']);
  assert.deepEqual([...touched].sort(), ['contextBridge', 'ipcRenderer']);
});

test('the exposed call goes over gatehouse:call', async () => {
  const { exposed } = await loadPreload();
  const api = exposed[0]![1] as { call(name: string, request: unknown): Promise<unknown> };
  assert.deepEqual(await api.call('dashboard.get', {}), { ok: true, value: ['gatehouse:call', 'dashboard.get', {}] });
});
