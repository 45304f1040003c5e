// The prompts waiting for the user, for the whole app: the Prompts view shows them, the navigation
// counts them, the tab title says how many, and what comes and goes is announced to screen readers
// whatever view is open. Read with prompts.get, again each time the host says `prompts` changed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GatehouseApi } from '../../common/ui-api.js';
import type { AnswerResult, PendingPrompt, PromptAnswer } from '../../common/ui-contract.js';
import { summary } from './describe.js';

export interface PromptsState {
  /** Newest first; undefined until the first answer from the host. */
  prompts: readonly PendingPrompt[] | undefined;
  /** The host's clock minus ours, for countdowns. */
  offset: number;
  /** The last thing said about prompts coming and going. */
  announcement: string;
  answer(promptId: string, answer: PromptAnswer): Promise<AnswerResult>;
}

export function usePrompts(api: GatehouseApi): PromptsState {
  const [prompts, setPrompts] = useState<PendingPrompt[]>();
  const [offset, setOffset] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const known = useRef(new Map<string, PendingPrompt>());
  const answered = useRef(new Set<string>());

  useEffect(() => {
    let latest = 0;
    let alive = true;
    const load = async () => {
      const mine = ++latest;
      const result = await api.call('prompts.get', {});
      if (!alive || mine !== latest || !result.ok) return;
      const snapshot = result.value;
      const next = [...snapshot.prompts].sort((a, b) => b.shownAt - a.shownAt);
      const added = next.filter((p) => !known.current.has(p.id));
      const gone = [...known.current.values()].filter((p) => !next.some((n) => n.id === p.id) && !answered.current.has(p.id));
      known.current = new Map(next.map((p) => [p.id, p]));
      const news = [...added.map((p) => `New: ${summary(p)}.`), ...gone.map((p) => `Withdrawn: ${summary(p)}.`)];
      if (news.length > 0) setAnnouncement(news.join(' '));
      setOffset(snapshot.now - Date.now());
      setPrompts(next.filter((p) => !answered.current.has(p.id)));
    };
    void load();
    const stop = api.subscribe('prompts', () => void load());
    return () => {
      alive = false;
      stop();
    };
  }, [api]);

  const answer = useCallback(
    async (promptId: string, promptAnswer: PromptAnswer): Promise<AnswerResult> => {
      const sent = await api.call('prompts.answer', { id: promptId, answer: promptAnswer });
      const result: AnswerResult = sent.ok ? sent.value : { ok: false, code: 'failed', message: sent.error.message };
      if (result.ok || result.code === 'gone' || result.code === 'unknown') {
        answered.current.add(promptId);
        setPrompts((old) => old?.filter((p) => p.id !== promptId));
      }
      return result;
    },
    [api],
  );

  return { prompts, offset, announcement, answer };
}
