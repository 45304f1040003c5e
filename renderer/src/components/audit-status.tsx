// Whether the audit trail is being written here and shipped to the company's collector.
import { useId } from 'react';
import type { AuditSummary } from '../../../common/ui-api.js';
import { formatAgo, formatCount, formatTime } from '../format.js';

export function AuditStatus({ audit, now }: { audit: AuditSummary; now: number }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="audit-status">
      <h2 id={`${id}-title`}>Audit trail</h2>
      {audit.ok ? (
        <p className="state ok">Every decision is being recorded on this computer.</p>
      ) : (
        <p className="state bad" role="alert">
          Not recording: {audit.failure ?? 'the audit log cannot be written'}
        </p>
      )}
      {audit.warning ? <p className="warning">{audit.warning}</p> : null}
      <dl className="facts">
        <dt>Events kept</dt>
        <dd>{formatCount(audit.events)}</dd>
        <dt>Collector</dt>
        <dd>
          {audit.sink ? (
            <>
              <code>{audit.sink.origin}</code> ({audit.sink.format === 'otlp' ? 'OpenTelemetry' : 'JSON lines'})
            </>
          ) : (
            'None: events stay on this computer'
          )}
        </dd>
        {audit.sink ? (
          <>
            <dt>Waiting to ship</dt>
            <dd data-testid="audit-pending">{formatCount(audit.pending)}</dd>
            <dt>Last shipped</dt>
            <dd>{audit.lastSuccess !== undefined ? <time dateTime={new Date(audit.lastSuccess).toISOString()}>{formatTime(audit.lastSuccess)} ({formatAgo(audit.lastSuccess, now)})</time> : 'Never'}</dd>
            {audit.lastError ? (
              <>
                <dt>Last error</dt>
                <dd className="error">{audit.lastError}</dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
      {audit.parked ? (
        <p className="warning">
          Shipping stopped after the collector refused a batch. Once it is fixed, run <code>gatehouse audit sync --now</code>.
        </p>
      ) : null}
    </section>
  );
}
