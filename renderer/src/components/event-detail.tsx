// One audit event in full: what was decided and why, each guard step (with DLP detectors and how
// long it took), the arguments as recorded (DLP matches masked, never the raw ones) and the hashes
// that chain it to the events before and after. Escape or Close goes back to the list.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { AuditEvent } from '../../../common/audit-event.js';
import { formatMs, formatTime, prettyJson } from '../format.js';

export function EventDetail({ event, onClose }: { event: AuditEvent; onClose(): void }) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [event.seq]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    onClose();
  };
  const row = (label: string, value: ReactNode | undefined) =>
    value === undefined || value === '' ? null : (
      <>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </>
    );
  return (
    <section className="card detail" aria-labelledby={`${id}-title`} onKeyDown={onKeyDown} data-testid="event-detail">
      <div className="detail-head">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          Event {event.seq}: {event.type}
        </h2>
        <button type="button" onClick={onClose} aria-keyshortcuts="Escape">
          Close
        </button>
      </div>
      <dl className="facts">
        {row('Time', <time dateTime={new Date(event.time).toISOString()}>{formatTime(event.time)}</time>)}
        {row('Decision', <span className={`badge decision-${event.decision}`}>{event.decision}</span>)}
        {row('Status', event.status)}
        {row('Latency', event.latencyMs !== undefined ? formatMs(event.latencyMs) : undefined)}
        {row('Code', event.code ? <code>{event.code}</code> : undefined)}
        {row('Reason', event.reason)}
        {row('User', event.user)}
        {row('Client', event.client)}
        {row('Session', event.session ? <code>{event.session}</code> : undefined)}
        {row('Server', event.server)}
        {row('Tool', event.tool ? <code>{event.tool}</code> : undefined)}
        {row('Method', event.method ? <code>{event.method}</code> : undefined)}
        {row('Resource', event.resource ? <code>{event.resource}</code> : undefined)}
      </dl>
      {event.steps && event.steps.length > 0 ? (
        <>
          <h3 id={`${id}-steps`}>Guard steps</h3>
          <div className="table-scroll">
            <table className="steps" aria-labelledby={`${id}-steps`}>
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Detectors</th>
                  <th scope="col">Time</th>
                </tr>
              </thead>
              <tbody>
                {event.steps.map((step, i) => (
                  <tr key={i}>
                    <th scope="row">{step.step}</th>
                    <td>
                      {step.outcome}
                      {step.code ? <code className="code-line">{step.code}</code> : null}
                    </td>
                    <td>{step.detectors?.join(', ') ?? ''}</td>
                    <td className="nowrap">{step.ms !== undefined ? formatMs(step.ms) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {event.arguments !== undefined ? (
        <>
          <h3 id={`${id}-args`}>Arguments as recorded</h3>
          <p className="hint">As Gatehouse recorded them: DLP matches masked, or only the argument names. The raw values are never kept.</p>
          <pre className="arguments" aria-labelledby={`${id}-args`} tabIndex={0}>
            {prettyJson(event.arguments)}
          </pre>
        </>
      ) : null}
      {event.details !== undefined ? (
        <>
          <h3 id={`${id}-details`}>Details</h3>
          <pre className="arguments" aria-labelledby={`${id}-details`} tabIndex={0}>
            {prettyJson(event.details)}
          </pre>
        </>
      ) : null}
      <h3>Integrity</h3>
      <dl className="facts hashes">
        {row('Arguments SHA-256', event.argumentsHash ? <code>{event.argumentsHash}</code> : undefined)}
        {row('Event id', <code>{event.id}</code>)}
        {row('Device', <code>{event.device}</code>)}
        {row('Previous hash', <code>{event.prevHash}</code>)}
        {row('Hash', <code>{event.hash}</code>)}
      </dl>
    </section>
  );
}
