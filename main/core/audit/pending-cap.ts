// How close the events not yet shipped are to the cap policy sets on this laptop
// (audit.sink.maxPendingMegabytes): a warning from warnPendingPercent on, long before the cap; at
// the cap, `required` decides whether calls are refused or go on unrecorded. One wording for the
// broker's log, `gatehouse audit status` and the dashboard.
import type { AuditSinkPolicy } from './audit-policy.js';

export interface PendingCap {
  /** At the cap: nothing more can be recorded until events are shipped. */
  full: boolean;
  message: string;
}

export function pendingCap(pendingBytes: number, sink: Pick<AuditSinkPolicy, 'maxPendingMegabytes' | 'warnPendingPercent'>, required: boolean): PendingCap | undefined {
  const cap = sink.maxPendingMegabytes * 1024 * 1024;
  if (pendingBytes >= cap) {
    const consequence = required ? 'tool calls are refused until events can be shipped (audit.required)' : 'new events are not recorded (audit.required is false)';
    return {
      full: true,
      message: `${humanSize(pendingBytes)} of audit events are waiting for the collector, the most policy allows (${sink.maxPendingMegabytes} MB): ${consequence}; connect to the company network, then run gatehouse audit sync --now`,
    };
  }
  if (pendingBytes < (cap * sink.warnPendingPercent) / 100) return undefined;
  return {
    full: false,
    message: `${humanSize(pendingBytes)} of audit events are waiting for the collector (${Math.floor((pendingBytes / cap) * 100)}% of the ${sink.maxPendingMegabytes} MB allowed); connect to the company network, then run gatehouse audit sync --now`,
  };
}

/** A size as people read it: B, KB or MB. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
