// What the broker needs of the audit trail: record an event, know when it is safely written, and
// know before forwarding a call whether it could be recorded at all. The AuditLog implements it
// over SQLite; without one (tests, embedders that audit elsewhere) nothing is recorded.
import type { AuditEventInput } from '../../../common/audit-event.js';
import type { GatehouseErrorCode } from '../../../common/errors.js';
import type { AuditPolicy } from './audit-policy.js';

export interface AuditRefusal {
  code: GatehouseErrorCode;
  message: string;
}

export interface AuditRecorder {
  /** What of the arguments and answers is kept (policy `audit.arguments`, `audit.elicitationAnswers`). */
  readonly keeps: Pick<AuditPolicy, 'arguments' | 'elicitationAnswers'>;
  /**
   * Queues an event; the promise settles once it is on disk (shared by every event of the batch).
   * It rejects only when policy requires auditing and the event could not be written.
   */
  record(event: AuditEventInput): Promise<void>;
  /** Why calls must not go ahead now (the store failed and policy requires auditing), or undefined. */
  refusal(): AuditRefusal | undefined;
}

const WRITTEN = Promise.resolve();

export const NO_AUDIT: AuditRecorder = {
  keeps: { arguments: 'none', elicitationAnswers: false },
  record: () => WRITTEN,
  refusal: () => undefined,
};
