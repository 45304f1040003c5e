// A server wants the user to open a web page (URL-mode elicitation). The host is shown first and
// large, since that is what decides whom the user talks to; the full URL below it. Nothing is opened
// here: on Open, the host opens the URL in the user's browser. Decline has the focus.
import { useId, useState } from 'react';
import type { AnswerResult, ElicitationAnswerDto, ElicitationPromptDto } from '../../../common/ui-contract.js';
import { clientLabel, hostOf, serverLabel, serverShort } from '../describe.js';
import { useArmed, useFocusOnMount, useOnce } from '../hooks.js';
import { Countdown } from './countdown.js';

export interface UrlConsentProps {
  prompt: Extract<ElicitationPromptDto, { mode: 'url' }>;
  offset: number;
  onAnswer(answer: ElicitationAnswerDto): Promise<AnswerResult>;
}

export function UrlConsent({ prompt, offset, onAnswer }: UrlConsentProps) {
  const id = useId();
  const armed = useArmed();
  const [busy, once] = useOnce();
  const [error, setError] = useState<string>();
  const decline = useFocusOnMount<HTMLButtonElement>();
  const host = hostOf(prompt.url);
  const secure = prompt.url.startsWith('https:');

  const send = (answer: ElicitationAnswerDto) =>
    once(async () => {
      const result = await onAnswer(answer);
      if (!result.ok) setError(result.message);
    });

  return (
    <section className="card url-consent" aria-labelledby={`${id}-title`} aria-describedby={`${id}-host`}>
      <h2 id={`${id}-title`}>{serverShort(prompt.server)} wants to open a web page</h2>
      <Countdown expiresAt={prompt.expiresAt} offset={offset} what="or the request is withdrawn" />
      <p className="host-label">The page is on</p>
      <p id={`${id}-host`} className="host" data-testid="url-host">
        {host ?? '(not a valid URL)'}
      </p>
      {!secure ? <p className="warning">This page is not encrypted (http). Open it only if you expect a local development page.</p> : null}
      <dl className="facts">
        <dt>Full address</dt>
        <dd>
          <code className="url" data-testid="url-full">{prompt.url}</code>
        </dd>
        <dt>From</dt>
        <dd>server {serverLabel(prompt.server)}, for {clientLabel(prompt.client)}</dd>
        <dt>Message</dt>
        <dd className="message">{prompt.message}</dd>
      </dl>
      <p className="hint">Gatehouse opens it in your browser only if you choose Open. Never enter a password there unless you trust {host ?? 'the site'}.</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="actions" role="group" aria-label="Your answer">
        <button ref={decline} type="button" className="deny" disabled={busy} onClick={() => void send({ action: 'decline' })}>
          Decline
        </button>
        <button type="button" className="allow" disabled={busy || !armed || host === undefined} onClick={() => void send({ action: 'accept' })}>
          Open {host ?? ''}
        </button>
      </div>
    </section>
  );
}
