// JSON lines: the plainest form a collector, `jq` or a SIEM's file reader takes. Keys come in the
// schema's order whatever order the store built the object in, so two exports of the same events are
// byte-identical and a diff between them shows only real changes. Each line parses back with
// auditEventSchema.
import type { AuditEvent, AuditStep } from '../../../../common/audit-event.js';

const EVENT_KEYS = [
  'id', 'seq', 'device', 'time', 'type', 'user', 'client', 'session', 'server', 'tool', 'method', 'resource',
  'decision', 'code', 'reason', 'steps', 'latencyMs', 'status', 'arguments', 'argumentsHash', 'details', 'prevHash', 'hash',
] as const satisfies readonly (keyof AuditEvent)[];

const STEP_KEYS = ['step', 'outcome', 'code', 'detectors', 'ms'] as const satisfies readonly (keyof AuditStep)[];

/** Content type for a JSON lines body (the de-facto name most collectors recognise). */
export const JSON_LINES_CONTENT_TYPE = 'application/x-ndjson';

export function toJsonLines(events: readonly AuditEvent[]): string {
  return events.map((event) => `${JSON.stringify(ordered(event))}\n`).join('');
}

function ordered(event: AuditEvent): Record<string, unknown> {
  const out = pick(event, EVENT_KEYS);
  if (event.steps !== undefined) out['steps'] = event.steps.map((step) => pick(step, STEP_KEYS));
  return out;
}

function pick<T extends object>(source: T, keys: readonly (keyof T & string)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out;
}
