// Everything waiting for the user, newest first, one at a time in focus. A new prompt never takes
// the focus from the one the user is answering: it joins the list and is announced. When the prompt
// in focus goes (answered, withdrawn, expired), the newest remaining one takes its place.
import { useEffect, useState } from 'react';
import type { AnswerResult, ElicitationAnswerDto, PendingPrompt, PromptAnswer } from '../../../common/ui-contract.js';
import { summary } from '../describe.js';
import { ApprovalDialog } from './approval-dialog.js';
import { ElicitationForm } from './elicitation-form.js';
import { NoticeCard } from './notice-card.js';
import { UrlConsent } from './url-consent.js';

export interface PromptsViewProps {
  /** Newest first. */
  prompts: readonly PendingPrompt[];
  /** The host's clock minus ours. */
  offset: number;
  onAnswer(promptId: string, answer: PromptAnswer): Promise<AnswerResult>;
}

export function PromptsView({ prompts, offset, onAnswer }: PromptsViewProps) {
  const [selected, setSelected] = useState<string>();
  const current = prompts.find((p) => p.id === selected) ?? prompts[0];
  useEffect(() => {
    if (current?.id !== selected) setSelected(current?.id);
  }, [current?.id, selected]);

  if (current === undefined) {
    return (
      <section className="empty" aria-labelledby="empty-title">
        <h2 id="empty-title">Nothing is waiting for you</h2>
        <p>Keep this tab open: when an agent's tool call needs your approval, or a server asks you something, it appears here.</p>
      </section>
    );
  }
  return (
    <div className="prompts">
      <div className="current">
        <Prompt key={current.id} prompt={current} offset={offset} onAnswer={onAnswer} />
      </div>
      {prompts.length > 1 ? (
        <nav className="queue" aria-labelledby="queue-title">
          <h2 id="queue-title">Waiting for you ({prompts.length})</h2>
          <ol>
            {prompts.map((p) => (
              <li key={p.id}>
                <button type="button" aria-current={p.id === current.id ? 'true' : undefined} onClick={() => setSelected(p.id)}>
                  {summary(p)}
                </button>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
    </div>
  );
}

function Prompt({ prompt, offset, onAnswer }: { prompt: PendingPrompt; offset: number; onAnswer: PromptsViewProps['onAnswer'] }) {
  switch (prompt.kind) {
    case 'approval':
      return <ApprovalDialog request={prompt.request} offset={offset} onAnswer={(answer) => onAnswer(prompt.id, { kind: 'approval', answer })} />;
    case 'elicitation': {
      const answer = (a: ElicitationAnswerDto) => onAnswer(prompt.id, { kind: 'elicitation', answer: a });
      const p = prompt.prompt;
      return p.mode === 'form' ? <ElicitationForm prompt={p} offset={offset} onAnswer={answer} /> : <UrlConsent prompt={p} offset={offset} onAnswer={answer} />;
    }
    case 'sign-in':
    case 'notice':
      return <NoticeCard prompt={prompt} onAnswer={(answer) => onAnswer(prompt.id, answer)} />;
  }
}
