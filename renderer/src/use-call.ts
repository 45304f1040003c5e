// One call of the UI API, made when a view shows and again whenever one of `topics` changes (the
// host says so; the view never polls). The last answer stays shown while a newer one is on its way,
// and an answer that arrives after a newer call was made is dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GatehouseApi, UiCallName, UiRequest, UiResponse, UiResult, UiTopic } from '../../common/ui-api.js';

export interface CallState<N extends UiCallName> {
  /** The last answer, undefined until the first arrives. */
  result: UiResult<UiResponse<N>> | undefined;
  /** A call is on its way. */
  loading: boolean;
  reload(): Promise<void>;
}

export function useCall<N extends UiCallName>(api: GatehouseApi, name: N, request: UiRequest<N>, topics: readonly UiTopic[] = []): CallState<N> {
  // Requests are small plain objects: their JSON says when they changed.
  const key = JSON.stringify(request);
  const topicsKey = topics.join(',');
  const [state, setState] = useState<{ result: UiResult<UiResponse<N>> | undefined; loading: boolean }>({ result: undefined, loading: true });
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++latest.current;
    setState((old) => ({ ...old, loading: true }));
    const result = await api.call(name, JSON.parse(key) as UiRequest<N>);
    if (mine === latest.current) setState({ result, loading: false });
  }, [api, name, key]);

  useEffect(() => {
    void reload();
    const stops = topicsKey === '' ? [] : topicsKey.split(',').map((topic) => api.subscribe(topic as UiTopic, () => void reload()));
    return () => {
      latest.current++; // answers still on their way are for a view that is gone
      for (const stop of stops) stop();
    };
  }, [api, reload, topicsKey]);

  return { result: state.result, loading: state.loading, reload };
}
