// The one file that touches window.gatehouse: the UI's GatehouseApi for whichever host runs it. In
// the desktop app the preload bridge exposes window.gatehouse (IPC; the window's CSP forbids any
// network, so nothing here may fetch when the bridge is there); in a browser the headless host
// answers over loopback HTTP. Either way every answer is checked against the contract before a
// view sees it: the HTTP client checks its own, and the bridge's are checked here.
import { isUiTopic, UI_CALLS, uiResultSchema, type GatehouseApi, type UiCallName, type UiRequest, type UiResponse, type UiResult, type UiTopic } from '../../common/ui-api.js';
import { httpGatehouseApi } from './http-gatehouse-api.js';

/** What the preload bridge looks like from the page; anything else on window.gatehouse is ignored. */
interface Bridge {
  call(name: string, request: unknown): unknown;
  subscribe(topic: string, listener: () => void): unknown;
}

const UNREACHABLE = 'Gatehouse could not be reached. Is it still running?';
const NOT_UNDERSTOOD = 'Gatehouse sent an answer this window does not understand. Restart Gatehouse; if it keeps happening, tell your IT team.';

/** The desktop bridge when there is one, else the browser's HTTP client (`onSignedOut`: the host no longer knows this page). */
export function hostApi(onSignedOut: () => void): GatehouseApi {
  const bridge = (globalThis as { gatehouse?: unknown }).gatehouse;
  if (isBridge(bridge)) return checkedBridge(bridge);
  return httpGatehouseApi({ onSignedOut });
}

/** True when the page runs in the desktop app (the views say "this window" rather than "this page"). */
export const inDesktopApp = (): boolean => isBridge((globalThis as { gatehouse?: unknown }).gatehouse);

function isBridge(value: unknown): value is Bridge {
  if (typeof value !== 'object' || value === null) return false;
  const { call, subscribe } = value as Partial<Record<keyof Bridge, unknown>>;
  return typeof call === 'function' && typeof subscribe === 'function';
}

/** The bridge, with each answer checked against its call's response schema. */
export function checkedBridge(bridge: Bridge): GatehouseApi {
  return {
    async call<N extends UiCallName>(name: N, request: UiRequest<N>): Promise<UiResult<UiResponse<N>>> {
      let answer: unknown;
      try {
        answer = await bridge.call(name, request);
      } catch {
        return failure('GATEHOUSE_BROKER_NOT_RUNNING', UNREACHABLE);
      }
      const parsed = uiResultSchema(UI_CALLS[name].response).safeParse(answer);
      if (parsed.success) return parsed.data as UiResult<UiResponse<N>>;
      console.warn(`gatehouse: the answer to ${name} does not fit the contract; not shown`);
      return failure('GATEHOUSE_INTERNAL', NOT_UNDERSTOOD);
    },
    subscribe(topic: UiTopic, listener: () => void): () => void {
      if (!isUiTopic(topic)) return () => {};
      const stop = bridge.subscribe(topic, () => listener());
      return () => {
        if (typeof stop === 'function') (stop as () => void)();
      };
    },
  };
}

function failure(code: string, message: string): UiResult<never> {
  return { ok: false, error: { code, message } };
}
