// The servers policy allows, each with its health and its tools as last listed: a quarantined tool
// (changed since it was approved, not expected, or poisoned) and a flagged one say so in words and
// say why, not only in colour.
import { useId } from 'react';
import type { ServerSummary } from '../../../common/ui-api.js';
import { formatAgo } from '../format.js';

const HEALTH_TEXT: Record<ServerSummary['health'], string> = {
  unknown: 'Not contacted yet',
  connecting: 'Connecting',
  ready: 'Ready',
  down: 'Down',
  'waiting-for-sign-in': 'Waiting for sign-in',
};

const TOOL_STATE_TEXT = { ok: 'OK', quarantined: 'Quarantined', flagged: 'Flagged' } as const;

export function ServerList({ servers, now }: { servers: readonly ServerSummary[]; now: number }) {
  if (servers.length === 0) return <p>Your policy allows no servers yet.</p>;
  return (
    <ul className="servers">
      {servers.map((server) => (
        <li key={server.id}>
          <ServerCard server={server} now={now} />
        </li>
      ))}
    </ul>
  );
}

function ServerCard({ server, now }: { server: ServerSummary; now: number }) {
  const id = useId();
  const label = server.name ?? server.id;
  const held = server.tools.filter((t) => t.state !== 'ok').length;
  return (
    <section className="server" aria-labelledby={`${id}-title`} data-testid={`server-${server.id}`}>
      <div className="server-head">
        <h3 id={`${id}-title`}>
          {label} {server.name ? <span className="muted">(“{server.id}”)</span> : null}
        </h3>
        <span className={`badge health-${server.health}`} data-testid="health">
          {HEALTH_TEXT[server.health]}
        </span>
      </div>
      <p className="muted url">
        <code>{server.url}</code>
        {server.since !== undefined && server.since > 0 ? <> · since {formatAgo(server.since, now)}</> : null}
      </p>
      {server.error ? <p className="error">{server.error}</p> : null}
      {server.tools.length === 0 ? (
        <p className="muted">No tools listed yet: they appear once an agent has connected to this server.</p>
      ) : (
        <div className="table-scroll">
          <table className="tools">
            <caption>
              Tools of {label}: {server.tools.length}
              {held > 0 ? `, ${held} on hold or flagged` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">State</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {server.tools.map((tool) => (
                <tr key={tool.name} className={`tool-${tool.state}`}>
                  <th scope="row">
                    <code>{tool.name}</code>
                    {tool.title ? <span className="muted"> {tool.title}</span> : null}
                  </th>
                  <td>
                    <span className={`badge tool-state-${tool.state}`}>
                      {tool.state === 'ok' ? null : <span aria-hidden="true">⚠ </span>}
                      {TOOL_STATE_TEXT[tool.state]}
                    </span>
                  </td>
                  <td className="reason">{tool.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
