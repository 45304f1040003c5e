// Events carry text from upstream servers and IdPs (tool names, error messages) of any length. The
// store keeps them within the limits common/audit-event.ts reads back with, so a hostile server
// cannot bloat the log or make its own events unreadable.
import type { AuditEventInput, AuditStep } from '../../../common/audit-event.js';

const clip = (text: string | undefined, max: number): string | undefined =>
  text === undefined || text.length <= max ? text : `${text.slice(0, max - 1)}…`;

export function clipEvent(event: AuditEventInput, now: number): AuditEventInput {
  return {
    ...event,
    time: event.time ?? now,
    user: clip(event.user, 500),
    client: clip(event.client, 200),
    session: clip(event.session, 200),
    server: clip(event.server, 200),
    tool: clip(event.tool, 500),
    method: clip(event.method, 200),
    resource: clip(event.resource, 4_000),
    code: clip(event.code, 64),
    reason: clip(event.reason, 4_000),
    steps: event.steps?.slice(0, 32).map(clipStep),
  };
}

function clipStep(step: AuditStep): AuditStep {
  return {
    ...step,
    step: clip(step.step, 64)!,
    outcome: clip(step.outcome, 64)!,
    code: clip(step.code, 64),
    detectors: step.detectors?.slice(0, 200).map((d) => clip(d, 128)!),
  };
}
