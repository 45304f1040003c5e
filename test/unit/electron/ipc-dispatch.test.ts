import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { UiResult } from '../../../common/ui-api.js';
import { ClientRegistry } from '../../../main/core/clients/registry.js';
import { PolicySchema } from '../../../main/core/policy/schema.js';
import { silentLogger } from '../../../main/core/ports/logger.js';
import { emptyPromptBoard } from '../../../main/core/prompts/prompt-board.js';
import { systemClock } from '../../../main/core/ports/clock.js';
import { UiService } from '../../../main/core/ui/ui-service.js';
import { createCallDispatcher, type CallEvent } from '../../../main/electron/ipc-dispatch.js';

const OUR_WINDOW = 7;
const ours = (url = 'app://gatehouse/index.html#/dashboard', id = OUR_WINDOW): CallEvent => ({ sender: { id }, senderFrame: { url, parent: null } });

function recordingUi(answer: UiResult<unknown> = { ok: true, value: { paused: true } }) {
  const calls: Array<[string, unknown]> = [];
  return {
    calls,
    ui: {
      handle: async (name: string, request: unknown) => {
        calls.push([name, request]);
        return answer;
      },
    },
  };
}

const dispatcherOver = (ui: { handle(name: string, request: unknown): Promise<UiResult<unknown>> }) =>
  createCallDispatcher({ ui, isOurWindow: (id) => id === OUR_WINDOW, logger: silentLogger });

test('answers a call from our window with the service\'s envelope, passing the request on', async () => {
  const { ui, calls } = recordingUi();
  const answer = await dispatcherOver(ui)(ours(), 'tools.setPaused', { paused: true });
  assert.deepEqual(answer, { ok: true, value: { paused: true } });
  assert.deepEqual(calls, [['tools.setPaused', { paused: true }]]);
});

test('refuses a sender whose frame shows another origin, without calling the service', async () => {
  for (const url of ['https://evil.example/index.html', 'file:///Applications/Gatehouse.app/index.html', 'app://other/index.html', 'http://127.0.0.1:5173/', 'app://user@gatehouse/index.html', 'not a url']) {
    const { ui, calls } = recordingUi();
    const answer = await dispatcherOver(ui)(ours(url), 'dashboard.get', {});
    assert.equal(answer.ok, false, url);
    assert.equal(!answer.ok && answer.error.code, 'GATEHOUSE_UI_UNAUTHORIZED', url);
    assert.deepEqual(calls, [], url);
  }
});

test('refuses a sub-frame, a frame that is gone, and a WebContents that is not one of our windows', async () => {
  const { ui, calls } = recordingUi();
  const dispatch = dispatcherOver(ui);
  const subFrame: CallEvent = { sender: { id: OUR_WINDOW }, senderFrame: { url: 'app://gatehouse/index.html', parent: {} } };
  const gone: CallEvent = { sender: { id: OUR_WINDOW }, senderFrame: null };
  for (const event of [subFrame, gone, ours(undefined, 99)]) {
    const answer = await dispatch(event, 'dashboard.get', {});
    assert.equal(!answer.ok && answer.error.code, 'GATEHOUSE_UI_UNAUTHORIZED');
  }
  assert.deepEqual(calls, []);
});

test('refuses a call UI_CALLS does not define, including names inherited from Object', async () => {
  const { ui, calls } = recordingUi();
  const dispatch = dispatcherOver(ui);
  for (const name of ['shell.openExternal', '__proto__', 'constructor', 'toString', 42, undefined, { name: 'dashboard.get' }]) {
    const answer = await dispatch(ours(), name, {});
    assert.equal(!answer.ok && answer.error.code, 'GATEHOUSE_BAD_REQUEST', String(name));
  }
  assert.deepEqual(calls, []);
});

test('a request that does not fit its schema comes back as an envelope error from the UI service', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-ipc-'));
  const broker = {
    url: 'http://127.0.0.1:4319/mcp',
    paused: false,
    async setPaused(paused: boolean) {
      this.paused = paused;
    },
    onPausedChange: () => () => undefined,
    health: { get: () => ({ state: 'unknown' as const, since: 0 }), onChange: () => () => undefined },
  };
  const service = new UiService({
    version: 'test',
    policy: PolicySchema.parse({ version: 1, servers: [] }),
    policySource: 'test',
    broker,
    board: emptyPromptBoard(systemClock),
    clients: new ClientRegistry({ dataDir, logger: silentLogger }),
    logger: silentLogger,
  });
  try {
    const dispatch = dispatcherOver(service);
    const refused = await dispatch(ours(), 'tools.setPaused', { paused: 'yes' });
    assert.equal(!refused.ok && refused.error.code, 'GATEHOUSE_BAD_REQUEST');
    assert.match(!refused.ok ? refused.error.message : '', /paused: /);
    assert.equal(broker.paused, false);
    assert.deepEqual(await dispatch(ours(), 'tools.setPaused', { paused: true }), { ok: true, value: { paused: true } });
  } finally {
    service.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('never throws across IPC: a failing or misbehaving service becomes an envelope error', async () => {
  const throwing = dispatcherOver({ handle: () => Promise.reject(new Error('disk on fire at /home/alice/secret')) });
  const thrown = await throwing(ours(), 'dashboard.get', {});
  assert.equal(!thrown.ok && thrown.error.code, 'GATEHOUSE_INTERNAL');
  assert.doesNotMatch(!thrown.ok ? thrown.error.message : '', /disk on fire/);
  const bare = dispatcherOver({ handle: async () => ({ paused: true }) as unknown as UiResult<unknown> });
  const answer = await bare(ours(), 'tools.setPaused', { paused: true });
  assert.equal(!answer.ok && answer.error.code, 'GATEHOUSE_INTERNAL');
  const hostile: CallEvent = {
    sender: { id: OUR_WINDOW },
    get senderFrame(): CallEvent['senderFrame'] {
      throw new Error('Render frame was disposed before WebFrameMain could be accessed');
    },
  };
  const disposed = await dispatcherOver(recordingUi().ui)(hostile, 'dashboard.get', {});
  assert.equal(!disposed.ok && disposed.error.code, 'GATEHOUSE_INTERNAL');
});
