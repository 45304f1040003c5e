// What the user should know without answering anything: a sign-in that is needed, or a notice.
import { useId, useState } from 'react';
import type { AnswerResult, PendingPrompt, PromptAnswer } from '../../../common/ui-contract.js';
import { useFocusOnMount, useOnce } from '../hooks.js';

type Shown = Extract<PendingPrompt, { kind: 'sign-in' | 'notice' }>;

export function NoticeCard({ prompt, onAnswer }: { prompt: Shown; onAnswer(answer: PromptAnswer): Promise<AnswerResult> }) {
  const id = useId();
  const [busy, once] = useOnce();
  const [error, setError] = useState<string>();
  const first = useFocusOnMount<HTMLButtonElement>();
  const send = (answer: PromptAnswer) =>
    once(async () => {
      const result = await onAnswer(answer);
      if (!result.ok) setError(result.message);
    });

  const title = prompt.kind === 'sign-in' ? 'Sign-in needed' : prompt.title;
  const message = prompt.kind === 'sign-in' ? prompt.reason : prompt.message;
  const level = prompt.kind === 'sign-in' ? 'warning' : prompt.level;
  return (
    <section className={`card notice ${level}`} aria-labelledby={`${id}-title`} aria-describedby={`${id}-message`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-message`} className="message">{message}</p>
      {prompt.kind === 'sign-in' && !prompt.canStart ? <p className="hint">Sign in with <code>gatehouse login</code>.</p> : null}
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="actions" role="group" aria-label="Your answer">
        {prompt.kind === 'sign-in' && prompt.canStart ? (
          <button ref={first} type="button" className="allow" disabled={busy} onClick={() => void send({ kind: 'sign-in', answer: 'sign-in' })}>
            Sign in
          </button>
        ) : null}
        <button
          ref={prompt.kind === 'sign-in' && prompt.canStart ? undefined : first}
          type="button"
          disabled={busy}
          onClick={() => void send(prompt.kind === 'sign-in' ? { kind: 'sign-in', answer: 'dismiss' } : { kind: 'notice', answer: 'dismiss' })}
        >
          Dismiss
        </button>
      </div>
    </section>
  );
}
