// Finding and opening the audit log for `gatehouse audit …`. Reading never creates a log: a missing
// one means Gatehouse has not run on this computer (with this data dir) yet, which is worth saying
// in those words rather than as a SQLite error.
import { existsSync } from 'node:fs';
import { GatehouseError } from '../../../../common/errors.js';
import { auditFile } from '../../../core/audit/audit-file.js';
import { AuditStore } from '../../../core/audit/store/audit-store.js';
import { dataDirOf, type CommonFlags, type Context } from '../../../host/context.js';

export async function auditFileOf(ctx: Context, flags: CommonFlags): Promise<string> {
  return auditFile(await dataDirOf(ctx, flags));
}

/** The sentence for a data dir without a log. */
export function noLogYet(file: string): string {
  return `There is no audit log at ${file} yet: Gatehouse creates it the first time the broker runs (gatehouse serve, or the desktop app) with this data dir. If it runs with another one, pass --data-dir DIR or set GATEHOUSE_DATA_DIR.`;
}

/** The log, or undefined when there is none yet. Read-only unless `write` (shipping updates the outbox state). */
export function openExistingLog(file: string, options: { write?: boolean } = {}): AuditStore | undefined {
  if (!existsSync(file)) return undefined;
  return AuditStore.open(file, { readonly: options.write !== true });
}

/** The log, or GATEHOUSE_AUDIT_UNAVAILABLE saying there is none yet. */
export function requireLog(file: string, options: { write?: boolean } = {}): AuditStore {
  const store = openExistingLog(file, options);
  if (store === undefined) throw new GatehouseError('GATEHOUSE_AUDIT_UNAVAILABLE', noLogYet(file));
  return store;
}

/** Runs `fn` with the store and closes it whatever happens. */
export async function withStore<T>(store: AuditStore, fn: (store: AuditStore) => Promise<T> | T): Promise<T> {
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
