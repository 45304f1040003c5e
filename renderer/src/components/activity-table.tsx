// One row per audit event, newest first. Each row's number links to the event's detail
// (#/activity/<seq>), so the list is walked with Tab and opened with Enter.
import type { AuditEvent } from '../../../common/audit-event.js';
import { href } from '../route.js';
import { formatMs, formatTime } from '../format.js';

export function ActivityTable({ events, selected, captionId }: { events: readonly AuditEvent[]; selected: number | undefined; captionId: string }) {
  return (
    <div className="table-scroll">
      <table className="activity" aria-labelledby={captionId}>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Time</th>
            <th scope="col">Type</th>
            <th scope="col">Decision</th>
            <th scope="col">Server / tool</th>
            {/* Left out while an event's detail is beside the list (styles.css): the detail says them. */}
            <th scope="col" className="optional">
              Client
            </th>
            <th scope="col" className="optional">
              Outcome
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.seq} className={event.seq === selected ? 'selected' : undefined} data-seq={event.seq}>
              <td>
                <a href={href('activity', event.seq)} aria-current={event.seq === selected ? 'true' : undefined} aria-label={`Event ${event.seq}, details`}>
                  {event.seq}
                </a>
              </td>
              <td className="nowrap">{formatTime(event.time)}</td>
              <td>
                <code>{event.type}</code>
              </td>
              <td>
                <span className={`badge decision-${event.decision}`}>{event.decision}</span>
              </td>
              <td>
                {event.server ?? ''}
                {event.tool ? (
                  <>
                    {event.server ? ' / ' : ''}
                    <code>{event.tool}</code>
                  </>
                ) : null}
              </td>
              <td className="optional">{event.client ?? ''}</td>
              <td className="optional">
                {event.status ?? ''}
                {event.code ? <span className="muted"> {event.code}</span> : null}
                {event.latencyMs !== undefined ? <span className="muted"> · {formatMs(event.latencyMs)}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
