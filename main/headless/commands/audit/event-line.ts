// One audit event as one terminal line for `gatehouse audit tail`:
//
//   2026-11-22 01:02:03  tool.call         denied       12 ms  cursor → incidents/page_oncall  GATEHOUSE_TOOL_NOT_ALLOWED  user alice
//
// Local time, then fixed-width columns (type, decision, latency) so a stream of lines stays aligned
// without knowing the lines to come (`--follow`), then the variable parts. Events carry text from
// upstream servers (tool names, reasons), so control characters are replaced: a hostile tool name
// must not drive the terminal.
import { AUDIT_DECISIONS, AUDIT_EVENT_TYPES, type AuditEvent } from '../../../../common/audit-event.js';

const TYPE_WIDTH = Math.max(...AUDIT_EVENT_TYPES.map((t) => t.length));
const DECISION_WIDTH = Math.max(...AUDIT_DECISIONS.map((d) => d.length));
const LATENCY_WIDTH = 9;
const REASON_CHARS = 120;

export function eventLine(event: AuditEvent): string {
  const latency = event.latencyMs === undefined ? '' : `${Math.round(event.latencyMs)} ms`;
  const parts = [
    localTime(event.time),
    event.type.padEnd(TYPE_WIDTH),
    event.decision.padEnd(DECISION_WIDTH),
    latency.padStart(LATENCY_WIDTH),
  ];
  const target = targetOf(event);
  const rest = [target, event.code ?? ''];
  // Events that touch no server (sign-in, policy) say what happened in their reason.
  if (target === '' && event.code === undefined && event.reason !== undefined) rest.push(cut(event.reason, REASON_CHARS));
  if (event.user !== undefined) rest.push(`user ${event.user}`);
  return printable([...parts, ...rest.filter((part) => part !== '')].join('  ').trimEnd());
}

/** "cursor → incidents/page_oncall", "cursor → docs gh://readme", "cursor", or "". */
function targetOf(event: AuditEvent): string {
  const what = event.resource !== undefined ? [event.server, event.resource].filter(Boolean).join(' ') : [event.server, event.tool].filter(Boolean).join('/');
  if (event.client === undefined) return what;
  return what === '' ? event.client : `${event.client} → ${what}`;
}

function localTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ');
}

function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}
