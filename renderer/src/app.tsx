// The prompts page: watches the host's list of pending prompts, announces what comes and goes to
// screen readers, keeps the tab title counting, and sends the user's answers.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PendingPrompt, PromptAnswer } from '../../common/ui-contract.js';
import type { ConnectionState, PromptsApi } from './api.js';
import { PromptsView } from './components/prompts-view.js';
import { summary } from './describe.js';

const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting to Gatehouse…',
  connected: 'Connected to Gatehouse',
  reconnecting: 'Gatehouse cannot be reached; trying again…',
  'signed-out': 'This page is no longer signed in to Gatehouse. Open the link Gatehouse printed again.',
};

export function App({ api }: { api: PromptsApi }) {
  const [prompts, setPrompts] = useState<PendingPrompt[]>([]);
  const [offset, setOffset] = useState(0);
  const [state, setState] = useState<ConnectionState>('connecting');
  const [announcement, setAnnouncement] = useState('');
  const known = useRef(new Map<string, PendingPrompt>());
  const answered = useRef(new Set<string>());

  useEffect(
    () =>
      api.watch((snapshot) => {
        const next = [...snapshot.prompts].sort((a, b) => b.shownAt - a.shownAt);
        const added = next.filter((p) => !known.current.has(p.id));
        const gone = [...known.current.values()].filter((p) => !next.some((n) => n.id === p.id) && !answered.current.has(p.id));
        known.current = new Map(next.map((p) => [p.id, p]));
        const news = [...added.map((p) => `New: ${summary(p)}.`), ...gone.map((p) => `Withdrawn: ${summary(p)}.`)];
        if (news.length > 0) setAnnouncement(news.join(' '));
        setOffset(snapshot.now - Date.now());
        setPrompts(next.filter((p) => !answered.current.has(p.id)));
      }, setState),
    [api],
  );

  useEffect(() => {
    document.title = prompts.length > 0 ? `(${prompts.length}) Gatehouse prompts` : 'Gatehouse prompts';
  }, [prompts.length]);

  const onAnswer = useCallback(
    async (promptId: string, answer: PromptAnswer) => {
      const result = await api.answer(promptId, answer);
      if (result.ok || result.code === 'gone' || result.code === 'unknown') {
        answered.current.add(promptId);
        setPrompts((old) => old.filter((p) => p.id !== promptId));
      }
      return result;
    },
    [api],
  );

  return (
    <>
      <header className="top">
        <h1>Gatehouse</h1>
        <p className={`connection ${state}`} role="status">
          {STATE_TEXT[state]}
        </p>
      </header>
      <main>
        <PromptsView prompts={prompts} offset={offset} onAnswer={onAnswer} />
      </main>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </div>
    </>
  );
}
