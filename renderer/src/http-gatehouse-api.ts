// The browser build's GatehouseApi: the UI calls over the headless host's loopback binding
// (POST /api/call/<name>, GET /api/events), same origin, authenticated by the HttpOnly cookie the
// one-time link set. Every answer is checked against the contract before a view sees it: one that
// does not fit is reported as an error, never passed on. One event stream serves every
// subscription; each time it (re)connects every listener is called once, since changes made while
// it was down were not announced. (The desktop app's preload bridge exposes the same interface as
// window.gatehouse.)
import { UI_API_ROUTES, UI_CALLS, UI_TOPICS, uiResultSchema, type GatehouseApi, type UiCallName, type UiRequest, type UiResponse, type UiResult, type UiTopic } from '../../common/ui-api.js';

/** The part of EventSource used here, so a test can give its own. */
export interface EventSourceLike {
  addEventListener(type: string, listener: () => void): void;
  close(): void;
  readonly readyState: number;
}

export interface HttpGatehouseApiOptions {
  fetch?: typeof fetch;
  eventSource?: (url: string) => EventSourceLike;
  /** The host no longer knows this page (401/403): the user needs a fresh link from Gatehouse. */
  onSignedOut?: () => void;
  /** How long to wait before reopening an event stream the browser gave up on. */
  retryMs?: number;
}

const CLOSED = 2;

// Typed through globalThis: this file is also compiled for Node tests, which have no EventSource.
const browserEventSource = (url: string): EventSourceLike => new (globalThis as unknown as { EventSource: new (url: string) => EventSourceLike }).EventSource(url);

export function httpGatehouseApi(options: HttpGatehouseApiOptions = {}): GatehouseApi {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const openEvents = options.eventSource ?? browserEventSource;
  const retryMs = options.retryMs ?? 2_000;
  const listeners = new Map<UiTopic, Set<() => void>>(UI_TOPICS.map((topic) => [topic, new Set()]));
  let source: EventSourceLike | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const tell = (topics: readonly UiTopic[]) => {
    for (const topic of topics) for (const listener of [...listeners.get(topic)!]) listener();
  };
  const watching = () => [...listeners.values()].some((set) => set.size > 0);

  const open = () => {
    const events = openEvents(UI_API_ROUTES.events);
    source = events;
    for (const topic of UI_TOPICS) events.addEventListener(topic, () => tell([topic]));
    // What changed before the stream was (re)connected was not announced: every view reads again.
    events.addEventListener('open', () => tell(UI_TOPICS));
    events.addEventListener('error', () => {
      if (events.readyState !== CLOSED) return; // the browser reconnects by itself
      // Given up (the host went away, or this page is signed out): try again a little later.
      events.close();
      if (source === events) source = undefined;
      clearTimeout(retry);
      retry = setTimeout(() => {
        retry = undefined;
        if (source === undefined && watching()) open();
      }, retryMs);
    });
  };

  return {
    async call<N extends UiCallName>(name: N, request: UiRequest<N>): Promise<UiResult<UiResponse<N>>> {
      let response: Response;
      try {
        response = await doFetch(UI_API_ROUTES.call(name), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(request),
          credentials: 'same-origin',
        });
      } catch {
        return failure('GATEHOUSE_BROKER_NOT_RUNNING', 'Gatehouse could not be reached. Is it still running?');
      }
      if (response.status === 401 || response.status === 403) options.onSignedOut?.();
      const parsed = uiResultSchema(UI_CALLS[name].response).safeParse(await response.json().catch(() => undefined));
      if (parsed.success) return parsed.data as UiResult<UiResponse<N>>;
      return failure('GATEHOUSE_INTERNAL', `Gatehouse sent an answer this page does not understand (HTTP ${response.status}). Reload the page; if it keeps happening, Gatehouse and this page may be of different versions.`);
    },

    subscribe(topic: UiTopic, listener: () => void): () => void {
      // Each subscription is its own entry, so subscribing one function twice needs two unsubscribes.
      const entry = () => listener();
      listeners.get(topic)?.add(entry);
      if (source === undefined && retry === undefined) open();
      return () => {
        listeners.get(topic)?.delete(entry);
        if (watching()) return;
        clearTimeout(retry);
        retry = undefined;
        source?.close();
        source = undefined;
      };
    },
  };
}

function failure(code: string, message: string): UiResult<never> {
  return { ok: false, error: { code, message } };
}
