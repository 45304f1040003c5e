// What the tool-pinning step reports: to the views (a review), to tools/call (a refusal), to the
// user (notices, waiting tools) and to whoever approves.
import type { PoisoningFlag } from '../poisoning/inspect-tool.js';
import type { PendingReason } from './pins-file.js';
import type { FieldChange } from './tool-diff.js';
import type { ToolDefinition, ToolSnapshot } from './tool-hash.js';

export type QuarantineReason = PendingReason | 'invalid';

export interface QuarantinedTool {
  readonly name: string;
  /** changed: differs from its pin · not-expected: not a hash the policy lists · flagged: looks poisoned · invalid: cannot be pinned. */
  readonly reason: QuarantineReason;
  /** Hash of the definition the server offers now ('' when it cannot be hashed). */
  readonly hash: string;
  readonly pinnedHash?: string;
  /** Field by field, for people; empty when there is no earlier approved copy to compare with. */
  readonly changes: readonly FieldChange[];
  readonly flags: readonly PoisoningFlag[];
  /** For the agent: why, and how the user can re-approve. Names fields, never quotes the server. */
  readonly message: string;
}

/** A quarantine as the user is told about it: with both definitions in full. */
export interface QuarantineNotice extends QuarantinedTool {
  readonly serverId: string;
  readonly serverUrl: string;
  /** What the server offers now, without `_meta`. */
  readonly definition: ToolSnapshot | null;
  /** What was approved, when there is an approved copy. */
  readonly pinnedDefinition?: ToolSnapshot | null;
}

/** A usable tool with poisoning flags nobody has reviewed yet (policy action 'flag'). */
export interface FlagNotice {
  readonly serverId: string;
  readonly serverUrl: string;
  readonly name: string;
  readonly hash: string;
  readonly flags: readonly PoisoningFlag[];
  readonly definition: ToolSnapshot;
}

export interface PinReview {
  /** The tools to list, in the server's order, as the server sent them. */
  readonly visible: ToolDefinition[];
  readonly quarantined: QuarantinedTool[];
  /** Tools pinned by this review (first sight or policy). */
  readonly newlyPinned: string[];
  /** Visible tools with flags that no person has approved (policy action 'flag'). */
  readonly flagged: Array<{ readonly name: string; readonly flags: readonly PoisoningFlag[] }>;
}

export interface PinRefusal {
  readonly code: 'GATEHOUSE_TOOL_QUARANTINED' | 'GATEHOUSE_TOOL_FLAGGED' | 'GATEHOUSE_TOOL_UNKNOWN';
  readonly message: string;
}

export interface ApprovedTool {
  readonly serverId: string;
  readonly toolName: string;
  readonly hash: string;
  readonly approvedBy: 'user' | 'admin';
}

/** A tool as the last review of its server saw it (the dashboard): usable, on hold, or usable but flagged. */
export interface ReviewedTool {
  readonly name: string;
  readonly title?: string;
  readonly state: 'ok' | 'quarantined' | 'flagged';
  /** Why it is on hold or flagged. */
  readonly reason?: string;
}

/** A tool waiting for approval, as recorded in the pins file (any process). */
export interface WaitingTool {
  readonly serverId: string;
  readonly serverUrl: string;
  readonly toolName: string;
  readonly reason: PendingReason;
  readonly hash: string;
  readonly pinnedHash?: string;
  readonly changes: readonly FieldChange[];
  readonly flags: readonly PoisoningFlag[];
  readonly definition: ToolSnapshot | null;
  readonly pinnedDefinition?: ToolSnapshot | null;
}
