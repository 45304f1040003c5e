// A tool call waiting for the user: who asks, what would run, why Gatehouse asks, with which
// (already masked) arguments. Deny has the focus; the allow buttons wake up after a moment.
// Keys while the dialog has focus: A allow once, S allow for this session, D or Escape deny.
import { useId, useState, type KeyboardEvent } from 'react';
import type { AnswerResult, ApprovalAnswerDto, ApprovalRequestDto } from '../../../common/ui-contract.js';
import { clientLabel, serverLabel } from '../describe.js';
import { useArmed, useFocusOnMount, useOnce } from '../hooks.js';
import { Countdown } from './countdown.js';

const MAX_SHOWN_ARGUMENTS = 20_000;
const KEYS: Record<string, ApprovalAnswerDto> = { a: 'allow-once', s: 'allow-session', d: 'deny', escape: 'deny' };

export interface ApprovalDialogProps {
  request: ApprovalRequestDto;
  offset: number;
  onAnswer(answer: ApprovalAnswerDto): Promise<AnswerResult>;
}

export function ApprovalDialog({ request, offset, onAnswer }: ApprovalDialogProps) {
  const id = useId();
  const armed = useArmed();
  const [busy, once] = useOnce();
  const [error, setError] = useState<string>();
  const deny = useFocusOnMount<HTMLButtonElement>();
  const tool = request.tool.title ? `${request.tool.title} (“${request.tool.name}”)` : `“${request.tool.name}”`;

  const answer = (a: ApprovalAnswerDto) =>
    once(async () => {
      if (a !== 'deny' && !armed) return;
      const result = await onAnswer(a);
      if (!result.ok) setError(result.message);
    });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const a = KEYS[event.key.toLowerCase()];
    if (a === undefined) return;
    event.preventDefault();
    void answer(a);
  };

  return (
    <section className="card approval" aria-labelledby={`${id}-title`} aria-describedby={`${id}-what`} onKeyDown={onKeyDown}>
      <h2 id={`${id}-title`}>Approve a tool call?</h2>
      <Countdown expiresAt={request.expiresAt} offset={offset} what="or it is denied" />
      <dl className="facts">
        <dt>Who</dt>
        <dd>
          {clientLabel(request.client)}
          {request.user ? <> for <strong>{request.user}</strong></> : null}
        </dd>
        <dt>What</dt>
        <dd id={`${id}-what`}>
          Run <strong>{tool}</strong> on server {serverLabel(request.server)}
        </dd>
        {request.tool.description ? (
          <>
            <dt>Tool</dt>
            <dd className="description">{request.tool.description}</dd>
          </>
        ) : null}
        <dt>Why</dt>
        <dd>
          <ul className="reasons">
            {request.reasons.map((reason, i) => (
              <li key={i}>{reason}</li>
            ))}
          </ul>
        </dd>
      </dl>
      <h3 id={`${id}-args`}>Arguments</h3>
      <pre className="arguments" aria-labelledby={`${id}-args`} tabIndex={0}>
        {prettyArguments(request.arguments)}
      </pre>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="actions" role="group" aria-label="Your answer">
        <button ref={deny} type="button" className="deny" disabled={busy} aria-keyshortcuts="D Escape" onClick={() => void answer('deny')}>
          Deny <kbd aria-hidden="true">D</kbd>
        </button>
        <button type="button" className="allow" disabled={busy || !armed} aria-keyshortcuts="A" onClick={() => void answer('allow-once')}>
          Allow once <kbd aria-hidden="true">A</kbd>
        </button>
        <button type="button" className="allow" disabled={busy || !armed} aria-keyshortcuts="S" onClick={() => void answer('allow-session')}>
          Allow for this session <kbd aria-hidden="true">S</kbd>
        </button>
      </div>
    </section>
  );
}

function prettyArguments(value: unknown): string {
  const text = JSON.stringify(value ?? {}, null, 2) ?? '{}';
  return text.length > MAX_SHOWN_ARGUMENTS ? `${text.slice(0, MAX_SHOWN_ARGUMENTS)}\n… (${text.length - MAX_SHOWN_ARGUMENTS} more characters)` : text;
}
