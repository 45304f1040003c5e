// window.gatehouse, built over the parts of ipcRenderer it needs, so it runs in plain Node tests.
// What the page gets is this object and nothing else: no ipcRenderer, no event objects (an
// IpcRendererEvent carries `sender`, which is ipcRenderer itself), no channel names of its choosing.
import type { GatehouseApi, UiCallName, UiRequest, UiResponse, UiResult } from '../common/ui-api.js';
import { UI_IPC_CHANNELS } from '../common/ui-ipc.js';
import { isUiTopic, type UiTopic } from '../common/ui-topics.js';

/** The parts of ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const unreachable = { ok: false, error: { code: 'GATEHOUSE_BROKER_NOT_RUNNING', message: 'Gatehouse could not be reached. Is it still running?' } } as const;

export function createGatehouseApi(ipc: IpcRendererLike): GatehouseApi {
  const api: GatehouseApi = {
    async call<N extends UiCallName>(name: N, request: UiRequest<N>): Promise<UiResult<UiResponse<N>>> {
      // The main process validates name and request; the answer is always an envelope, and a failed
      // invoke (the host is gone) becomes one too, so the page never has to catch.
      return (await ipc.invoke(UI_IPC_CHANNELS.call, name, request).catch(() => unreachable)) as UiResult<UiResponse<N>>;
    },
    subscribe(topic: UiTopic, listener: () => void): () => void {
      if (!isUiTopic(topic) || typeof listener !== 'function') return () => {};
      const onTopic = (_event: unknown, changed: unknown) => {
        if (changed === topic) listener();
      };
      ipc.on(UI_IPC_CHANNELS.topic, onTopic);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(UI_IPC_CHANNELS.topic, onTopic);
      };
    },
  };
  return Object.freeze(api);
}
