// The state of this Gatehouse at a glance: who is signed in, the policy in force and the endpoint
// IDEs use, whether tool calls are paused, each server's health and tools, the registered IDEs and
// the audit trail. Read again whenever the host says the dashboard changed.
import { useId, useState } from 'react';
import type { Dashboard, GatehouseApi, UiError } from '../../../common/ui-api.js';
import { AuditStatus } from '../components/audit-status.js';
import { CallError } from '../components/call-error.js';
import { IdentityPanel } from '../components/identity-panel.js';
import { ServerList } from '../components/server-list.js';
import { ViewHeading } from '../components/view-heading.js';
import { formatTime, shortHash } from '../format.js';
import { useOnce } from '../hooks.js';
import { useCall } from '../use-call.js';

export function DashboardView({ api, focus }: { api: GatehouseApi; focus: boolean }) {
  const { result } = useCall(api, 'dashboard.get', {}, ['dashboard']);
  return (
    <div className="view dashboard">
      <ViewHeading focus={focus}>Dashboard</ViewHeading>
      {result === undefined ? (
        <p className="muted">Loading…</p>
      ) : !result.ok ? (
        <CallError error={result.error} what="The dashboard cannot be shown" />
      ) : (
        <DashboardBody api={api} dashboard={result.value} />
      )}
    </div>
  );
}

function DashboardBody({ api, dashboard }: { api: GatehouseApi; dashboard: Dashboard }) {
  const ids = useId();
  return (
    <>
      <div className="grid">
        <IdentityPanel api={api} identity={dashboard.identity} />
        <PausePanel api={api} paused={dashboard.paused} />
        <section className="card" aria-labelledby={`${ids}-policy`}>
          <h2 id={`${ids}-policy`}>Policy and endpoint</h2>
          <dl className="facts">
            <dt>Policy</dt>
            <dd data-testid="policy-source">
              <code>{dashboard.policy.source}</code>
            </dd>
            <dt>Version</dt>
            <dd data-testid="policy-version">
              {dashboard.policy.version} <span className="muted">(SHA-256 {shortHash(dashboard.policy.sha256)}…)</span>
            </dd>
            <dt>Endpoint</dt>
            <dd data-testid="endpoint">
              <code>{dashboard.endpoint}</code>
            </dd>
            <dt>Gatehouse</dt>
            <dd>
              {dashboard.version} <span className="muted">(as of {formatTime(dashboard.now)})</span>
            </dd>
          </dl>
        </section>
        <AuditStatus audit={dashboard.audit} now={dashboard.now} />
      </div>
      <section className="card wide" aria-labelledby={`${ids}-servers`}>
        <h2 id={`${ids}-servers`}>Servers</h2>
        <ServerList servers={dashboard.servers} now={dashboard.now} />
      </section>
      <section className="card wide" aria-labelledby={`${ids}-clients`} data-testid="clients">
        <h2 id={`${ids}-clients`}>Connected IDEs and agents</h2>
        {dashboard.clients.length === 0 ? (
          <p>
            None yet. <a href="#/settings">Connect an IDE</a> in Settings.
          </p>
        ) : (
          <ul className="clients">
            {dashboard.clients.map((client) => (
              <li key={client.name}>
                <code>{client.name}</code>
                {client.createdAt ? <span className="muted"> · registered {formatTime(Date.parse(client.createdAt))}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** "Pause all tools" from the tray, here too: while paused, every agent's tool call is refused. */
function PausePanel({ api, paused }: { api: GatehouseApi; paused: boolean }) {
  const id = useId();
  const [busy, once] = useOnce();
  const [error, setError] = useState<UiError>();
  const toggle = () =>
    once(async () => {
      setError(undefined);
      const result = await api.call('tools.setPaused', { paused: !paused });
      if (!result.ok) setError(result.error);
    });
  return (
    <section className={`card ${paused ? 'paused' : ''}`} aria-labelledby={`${id}-title`} data-testid="pause">
      <h2 id={`${id}-title`}>Tool calls</h2>
      <p className={`state ${paused ? 'warn' : 'ok'}`} data-testid="paused-state">
        {paused ? 'Paused: every agent’s tool call is refused until you resume.' : 'Running: agents’ tool calls go through the guard.'}
      </p>
      <div className="actions">
        <button type="button" className={paused ? 'allow' : undefined} disabled={busy} onClick={() => void toggle()}>
          {paused ? 'Resume tool calls' : 'Pause all tool calls'}
        </button>
      </div>
      {error ? <CallError error={error} what="Could not change it" /> : null}
    </section>
  );
}
