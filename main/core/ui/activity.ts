// `activity.query` and `activity.verify`: the audit trail as the activity view reads it, one page at
// a time (newest first, keyset paging, so 100,000 events cost no more than 50), and its hash chain
// walked on request. Both read the log the broker writes; while it cannot be opened they say why.
import { auditEventSchema } from '../../../common/audit-event.js';
import { GatehouseError } from '../../../common/errors.js';
import type { ActivityPage, activityQuerySchema, ChainStatus } from '../../../common/ui-api.js';
import type { z } from 'zod';
import { AuditStoreError, type AuditStore } from '../audit/store/audit-store.js';
import { storeFailure } from '../audit/store/store-failure.js';
import { verifyChainInSlices } from '../audit/store/verify-chain.js';
import type { UiAudit } from './ui-deps.js';
import { clip } from './clip.js';

export function queryActivity(audit: UiAudit | undefined, query: z.output<typeof activityQuerySchema>): ActivityPage {
  const store = openLog(audit);
  const page = read(store, () => store.page(query));
  for (const event of page.events) {
    // The store hands back each event's body as written; one edited into another shape is named, not shown half-parsed.
    if (!auditEventSchema.safeParse(event).success) {
      throw new GatehouseError('GATEHOUSE_AUDIT_TAMPERED', `Audit event ${event.seq} is not in the shape Gatehouse writes: the log was edited. Run "Verify" (or \`gatehouse audit verify\`) and tell your security team.`);
    }
  }
  return page;
}

export async function verifyActivity(audit: UiAudit | undefined): Promise<ChainStatus> {
  const store = openLog(audit);
  const report = await verifyChainInSlices(store).catch((error: unknown) => read(store, () => {
    throw error;
  }));
  return {
    ok: report.ok,
    checked: report.checked,
    ...(report.firstSeq !== undefined ? { firstSeq: report.firstSeq } : {}),
    ...(report.lastSeq !== undefined ? { lastSeq: report.lastSeq } : {}),
    from: report.from,
    ...(report.break !== undefined ? { break: { ...report.break, message: clip(report.break.message, 4_000) } } : {}),
  };
}

/** The open store, or GATEHOUSE_AUDIT_UNAVAILABLE saying why there is none. */
function openLog(audit: UiAudit | undefined): AuditStore {
  if (audit === undefined) throw new GatehouseError('GATEHOUSE_AUDIT_UNAVAILABLE', 'This Gatehouse keeps no audit trail, so there is no activity to show.');
  audit.flush();
  const store = audit.current;
  if (store !== undefined) return store;
  const failure = audit.health().failure?.message ?? 'it is not open';
  throw new GatehouseError('GATEHOUSE_AUDIT_UNAVAILABLE', `The audit log cannot be read now: ${failure}.`);
}

/** A failing read says what is wrong with the log, as a failing write does. */
function read<T>(store: AuditStore, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof GatehouseError) throw error;
    if (error instanceof SyntaxError) {
      throw new GatehouseError('GATEHOUSE_AUDIT_TAMPERED', 'An audit event in this page is not valid JSON: the log was edited. Run "Verify" (or `gatehouse audit verify`) and tell your security team.', { cause: error });
    }
    throw new AuditStoreError(storeFailure(error, store.file), { cause: error });
  }
}
