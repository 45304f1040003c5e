// Whether the host answers this UI, as the header says it: learnt from the calls the views make.
// Any answer from the host (even an error of the call itself) means it is there; "not reachable"
// means it is not; "unauthorized" means the host no longer knows this page (a browser tab whose
// one-time link is from an earlier run), which no retry mends.
import type { GatehouseApi, UiCallName, UiRequest, UiResponse, UiResult } from '../../common/ui-api.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'signed-out';

export interface Connection {
  get(): ConnectionState;
  subscribe(listener: () => void): () => void;
  set(state: ConnectionState): void;
  /** `api`, telling this connection what each answer says about the host. */
  track(api: GatehouseApi): GatehouseApi;
}

export function createConnection(): Connection {
  let state: ConnectionState = 'connecting';
  const listeners = new Set<() => void>();
  const connection: Connection = {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    set(next) {
      // A page the host signed out stays so: only a fresh link (a reload) mends it.
      if (next === state || state === 'signed-out') return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    track(api) {
      return {
        async call<N extends UiCallName>(name: N, request: UiRequest<N>): Promise<UiResult<UiResponse<N>>> {
          const result = await api.call(name, request);
          if (result.ok) connection.set('connected');
          else if (result.error.code === 'GATEHOUSE_UI_UNAUTHORIZED') connection.set('signed-out');
          else if (result.error.code === 'GATEHOUSE_BROKER_NOT_RUNNING') connection.set('reconnecting');
          else connection.set('connected');
          return result;
        },
        subscribe: (topic, listener) => api.subscribe(topic, listener),
      };
    },
  };
  return connection;
}
