// Audit events for tests of what reads the trail (exports, shipping). Each one passes the real
// schema, so a test cannot lean on a shape the store would never hand out.
import { auditEventSchema, type AuditEvent } from '../../common/audit-event.js';

const DEVICE = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const HASH = (n: number) => n.toString(16).padStart(64, '0');

/** Event number `seq` of a test device: a tool call allowed at a fixed time unless overridden. */
export function auditEvent(seq: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return auditEventSchema.parse({
    id: `0190a1b2-0000-7000-8000-${seq.toString(16).padStart(12, '0')}`,
    seq,
    device: DEVICE,
    time: 1_767_225_600_000 + seq * 1000,
    type: 'tool.call',
    decision: 'allowed',
    prevHash: HASH(seq - 1),
    hash: HASH(seq),
    ...overrides,
  });
}

export function auditEvents(count: number, from = 1): AuditEvent[] {
  return Array.from({ length: count }, (_, index) => auditEvent(from + index));
}

export const TEST_DEVICE = DEVICE;

/** Event 7: the tool call a role did not allow, as every export test describes it; `overrides` say the rest. */
export function deniedToolCall(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return auditEvent(7, {
    user: 'alice@example.com',
    client: 'cursor',
    session: 's-1',
    server: 'incidents',
    tool: 'page_oncall',
    method: 'tools/call',
    decision: 'denied',
    code: 'GATEHOUSE_TOOL_NOT_ALLOWED',
    argumentsHash: 'a'.repeat(64),
    ...overrides,
  });
}
