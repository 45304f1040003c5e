// The browser UI's only link to its host: same-origin fetch and EventSource, authenticated by the
// HttpOnly cookie the host set when the one-time link was opened. Everything received is validated.
import { answerResultSchema, promptsSnapshotSchema, UI_ROUTES, type AnswerResult, type PromptAnswer } from '../../common/ui-contract.js';
import type { ConnectionState, PromptsApi } from './api.js';

const RETRY_MS = 2_000;

export const httpPromptsApi: PromptsApi = {
  watch(onSnapshot, onState) {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const state = (s: ConnectionState) => !stopped && onState(s);

    const connect = () => {
      source = new EventSource(UI_ROUTES.prompts);
      source.addEventListener('open', () => state('connected'));
      source.addEventListener(UI_ROUTES.snapshotEvent, (event) => {
        const parsed = promptsSnapshotSchema.safeParse(safeJson((event as MessageEvent<string>).data));
        if (parsed.success) onSnapshot(parsed.data);
        else console.warn('gatehouse: ignored a snapshot that does not fit the contract');
      });
      source.addEventListener('error', () => {
        if (source?.readyState !== EventSource.CLOSED) return state('reconnecting');
        // Closed for good: either our session is gone (401/403) or the host is down. Ask which.
        source = undefined;
        void fetch(UI_ROUTES.prompts, { headers: { accept: 'application/json' }, cache: 'no-store' })
          .then((response) => response.status === 401 || response.status === 403)
          .catch(() => false)
          .then((signedOut) => {
            if (stopped) return;
            if (signedOut) return state('signed-out');
            state('reconnecting');
            retry = setTimeout(connect, RETRY_MS);
          });
      });
    };
    state('connecting');
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  },

  async answer(promptId: string, answer: PromptAnswer): Promise<AnswerResult> {
    try {
      const response = await fetch(UI_ROUTES.answer(promptId), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(answer),
        cache: 'no-store',
      });
      const parsed = answerResultSchema.safeParse(await response.json().catch(() => undefined));
      if (parsed.success) return parsed.data;
      return { ok: false, code: 'failed', message: `Gatehouse answered ${response.status} ${response.statusText}.` };
    } catch {
      return { ok: false, code: 'failed', message: 'Gatehouse could not be reached. Is it still running?' };
    }
  },
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
