// How serious an audit event is and whether what it records succeeded, decided once for every
// export format, so a denial is a warning in the OTLP logs and a failure in OCSF for the same reason.
import type { AuditEvent, AuditEventType } from '../../../../common/audit-event.js';

export type AuditSeverity = 'info' | 'warn' | 'error';

/** Types whose very occurrence is a problem, whatever decision the producer recorded. */
const WARNING_TYPES: ReadonlySet<AuditEventType> = new Set(['audit.gap', 'auth.failure', 'policy.rejected', 'tool.quarantined']);

export function severityOf(event: AuditEvent): AuditSeverity {
  if (event.decision === 'failed' || event.status === 'error' || event.type === 'error') return 'error';
  if (event.decision === 'denied' || event.decision === 'declined' || WARNING_TYPES.has(event.type)) return 'warn';
  return 'info';
}

export type AuditResult = 'success' | 'failure' | 'cancelled';

/** Whether the operation the event records reached its goal. A declined elicitation is a success:
 *  the user answered. A refusal by Gatehouse is a failure of the call, even though the guard worked. */
export function resultOf(event: AuditEvent): AuditResult {
  if (
    event.decision === 'denied' || event.decision === 'failed' ||
    event.status === 'error' || event.status === 'tool_error' || event.status === 'refused' ||
    event.type === 'auth.failure' || event.type === 'policy.rejected' || event.type === 'error'
  ) return 'failure';
  if (event.decision === 'cancelled' || event.status === 'cancelled') return 'cancelled';
  return 'success';
}

/** The MCP method, also for producers that recorded a call or a read without naming it. */
export function methodOf(event: AuditEvent): string | undefined {
  if (event.method !== undefined) return event.method;
  if (event.type === 'tool.call') return 'tools/call';
  if (event.type === 'resource.read') return 'resources/read';
  return undefined;
}

const SUMMARY_REASON_CHARS = 200;

/** One line for people: "tools/call incidents/page_oncall denied: <reason>". */
export function summaryOf(event: AuditEvent): string {
  const target = event.resource !== undefined
    ? [event.server, event.resource].filter(Boolean).join(' ')
    : [event.server, event.tool].filter(Boolean).join('/');
  const words = [methodOf(event) ?? event.type, target, event.decision === 'recorded' ? '' : event.decision].filter(Boolean);
  const reason = event.reason === undefined ? '' : `: ${cut(event.reason.replace(/\s+/g, ' ').trim(), SUMMARY_REASON_CHARS)}`;
  return `${words.join(' ')}${reason}`;
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
