// A server's question as a form, drawn from its restricted JSON Schema: every field labelled, its
// default filled in, checked as the user goes (the host checks again before anything is sent).
// Accept sends the typed values; Decline says no; Cancel dismisses without choosing.
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { initialInput, parseRequestedSchema, readForm, type FieldInput } from '../../../common/elicitation-schema.js';
import type { AnswerResult, ElicitationAnswerDto, ElicitationPromptDto } from '../../../common/ui-contract.js';
import { clientLabel, serverLabel, serverShort } from '../describe.js';
import { useFocusOnMount, useOnce } from '../hooks.js';
import { Countdown } from './countdown.js';
import { FormFieldInput } from './form-field.js';

export interface ElicitationFormProps {
  prompt: Extract<ElicitationPromptDto, { mode: 'form' }>;
  offset: number;
  onAnswer(answer: ElicitationAnswerDto): Promise<AnswerResult>;
}

export function ElicitationForm({ prompt, offset, onAnswer }: ElicitationFormProps) {
  const id = useId();
  const parsed = useMemo(() => parseRequestedSchema(prompt.requestedSchema), [prompt.requestedSchema]);
  const fields = parsed.ok ? parsed.fields : [];
  const [inputs, setInputs] = useState<FieldInput[]>(() => fields.map(initialInput));
  const [touched, setTouched] = useState<ReadonlySet<number>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [hostErrors, setHostErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string>();
  const [busy, once] = useOnce();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const form = useRef<HTMLFormElement>(null);
  const checked = readForm(fields, inputs);
  const errors = checked.ok ? {} : checked.errors;
  const errorOf = (name: string, i: number): string | undefined =>
    Object.hasOwn(hostErrors, name) ? hostErrors[name] : submitted || touched.has(i) ? (Object.hasOwn(errors, name) ? errors[name] : undefined) : undefined;
  const fieldId = (i: number) => `${id}-f${i}`;

  const send = (answer: ElicitationAnswerDto) =>
    once(async () => {
      setFailure(undefined);
      const result = await onAnswer(answer);
      if (result.ok) return;
      if (result.errors) setHostErrors(result.errors);
      setFailure(result.message);
    });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!checked.ok) {
      const first = fields.findIndex((f) => Object.hasOwn(checked.errors, f.name));
      focusField(form.current, fieldId(first));
      return;
    }
    void send({ action: 'accept', content: checked.content });
  };

  const change = (i: number, value: FieldInput) => {
    setInputs((old) => old.map((v, j) => (j === i ? value : v)));
    const name = fields[i]?.name;
    if (name !== undefined && Object.hasOwn(hostErrors, name)) setHostErrors(({ [name]: _, ...rest }) => rest);
  };

  const invalidCount = fields.filter((f, i) => errorOf(f.name, i) !== undefined).length;

  return (
    <section className="card elicitation" aria-labelledby={`${id}-title`} aria-describedby={`${id}-message`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {serverShort(prompt.server)} asks for information
      </h2>
      <Countdown expiresAt={prompt.expiresAt} offset={offset} what="or the question is withdrawn" />
      <dl className="facts">
        <dt>From</dt>
        <dd>server {serverLabel(prompt.server)}, for {clientLabel(prompt.client)}</dd>
      </dl>
      <p id={`${id}-message`} className="message">{prompt.message}</p>
      {!parsed.ok ? (
        <p className="error" role="alert">Gatehouse cannot show this form ({parsed.error}). Decline it or cancel.</p>
      ) : (
        <form ref={form} noValidate onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
          {fields.some((f) => f.required) ? (
            <p className="hint">
              Fields marked <span aria-hidden="true">*</span>
              <span className="visually-hidden">required</span> must be filled in.
            </p>
          ) : null}
          {submitted && invalidCount > 0 ? (
            <p className="error" role="alert">
              {invalidCount === 1 ? '1 field needs' : `${invalidCount} fields need`} your attention.
            </p>
          ) : null}
          {fields.map((field, i) => (
            <FormFieldInput
              key={field.name}
              field={field}
              id={fieldId(i)}
              value={inputs[i] ?? initialInput(field)}
              error={errorOf(field.name, i)}
              onChange={(value) => change(i, value)}
              onLeave={() => setTouched((t) => new Set(t).add(i))}
            />
          ))}
          {failure ? <p className="error" role="alert">{failure}</p> : null}
          <div className="actions" role="group" aria-label="Your answer">
            <button type="submit" className="allow" disabled={busy}>
              Accept
            </button>
            <DeclineOrCancel busy={busy} send={send} />
          </div>
        </form>
      )}
      {!parsed.ok ? (
        <div className="actions" role="group" aria-label="Your answer">
          <DeclineOrCancel busy={busy} send={send} />
        </div>
      ) : null}
    </section>
  );
}

function focusField(form: HTMLFormElement | null, id: string): void {
  const target = form?.ownerDocument.getElementById(id);
  if (!target) return;
  const input = target.matches('input, select, textarea') ? target : target.querySelector<HTMLElement>('input, select, textarea');
  input?.focus();
}

/** The answers that send nothing: offered whether or not the form could be shown. */
function DeclineOrCancel({ busy, send }: { busy: boolean; send: (answer: { action: 'decline' | 'cancel' }) => Promise<void> }) {
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void send({ action: 'decline' })}>
        Decline
      </button>
      <button type="button" disabled={busy} onClick={() => void send({ action: 'cancel' })}>
        Cancel
      </button>
    </>
  );
}
