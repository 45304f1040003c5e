// One entry of the audit trail, as the store keeps it, the outbox ships it, `gatehouse audit`
// prints it and the activity view shows it. The store validates every event it reads back with
// this schema, so a hand-edited row that breaks the shape is reported rather than displayed.
import { z } from 'zod';

export const AUDIT_EVENT_TYPES = [
  'audit.started', // the store was opened by a process (records the host and version)
  'audit.gap', // events that could not be written (disk full, read-only) while policy let calls continue
  'session.opened',
  'session.closed',
  'auth.sign_in',
  'auth.sign_out',
  'auth.refresh',
  'auth.failure',
  'policy.loaded',
  'policy.changed',
  'policy.rejected',
  'tools.changed',
  'tool.pinned',
  'tool.quarantined',
  'tools.paused', // the user paused or resumed every tool call (details.paused)
  'tool.call',
  'resource.read',
  'elicitation',
  'error',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * What Gatehouse decided: for calls, the pipeline's outcome (`redacted` is allowed with DLP
 * redaction); for elicitation, the user's answer; `recorded` for events that decide nothing.
 */
export const AUDIT_DECISIONS = ['allowed', 'redacted', 'denied', 'answered', 'declined', 'cancelled', 'failed', 'recorded'] as const;
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

/** How a forwarded call ended. `refused` means Gatehouse never forwarded it. */
export const AUDIT_STATUSES = ['ok', 'tool_error', 'error', 'refused', 'cancelled'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

const text = (max: number) => z.string().max(max);

/** One pipeline step's decision for a call (authorization, rate-limit, dlp, pinning, approval…). */
export const auditStepSchema = z.object({
  step: text(64),
  /** e.g. allow, deny, block, redact, ask, approved, rejected, timed_out, limited, quarantined. */
  outcome: text(64),
  code: text(64).optional(),
  /** DLP detector ids that matched (never the matched text). */
  detectors: z.array(text(128)).max(200).optional(),
  /** Time the step took, e.g. how long the user took to answer. */
  ms: z.number().nonnegative().optional(),
});
export type AuditStep = z.infer<typeof auditStepSchema>;

/** What a producer hands the store; the store adds id, seq, device, time and the chain. */
export const auditEventInputSchema = z.object({
  type: z.enum(AUDIT_EVENT_TYPES),
  /** When it happened, in milliseconds since the epoch; the store stamps the time of writing when absent. */
  time: z.number().int().nonnegative().optional(),
  /** The signed-in user's subject (SSO `sub`), when there is a sign-in. */
  user: text(500).optional(),
  /** The registered client name (e.g. "cursor"). */
  client: text(200).optional(),
  /** The downstream MCP session id. */
  session: text(200).optional(),
  server: text(200).optional(),
  /** The server's own tool name (not the `<server>__<tool>` exposed name). */
  tool: text(500).optional(),
  /** The MCP method, e.g. tools/call, resources/read. */
  method: text(200).optional(),
  /** A resource URI for resources/read (the server's own URI). */
  resource: text(4_000).optional(),
  decision: z.enum(AUDIT_DECISIONS),
  /** The GATEHOUSE_… code of a refusal or failure. */
  code: text(64).optional(),
  /** A human sentence: why it was decided so, or what happened. */
  reason: text(4_000).optional(),
  steps: z.array(auditStepSchema).max(32).optional(),
  latencyMs: z.number().nonnegative().optional(),
  status: z.enum(AUDIT_STATUSES).optional(),
  /** Arguments with DLP matches masked and long values cut; never the raw arguments. */
  arguments: z.unknown().optional(),
  /** SHA-256 (hex) of the raw arguments' canonical JSON, to confirm a copy held elsewhere. */
  argumentsHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Anything else worth keeping for this type (e.g. policy source, tool hashes, gap counts). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEventInput = z.infer<typeof auditEventInputSchema>;

export const auditEventSchema = auditEventInputSchema.extend({
  /** UUIDv7: unique across devices, sortable by time; collectors deduplicate on it. */
  id: z.uuid(),
  /** Per-device sequence number: 1, 2, 3… without gaps except where retention deleted old events. */
  seq: z.number().int().positive(),
  /** This device's audit log id (a UUID made when the log was created). */
  device: z.uuid(),
  time: z.number().int().nonnegative(),
  /** SHA-256 (hex) of the previous event: the chain `gatehouse audit verify` walks. */
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
