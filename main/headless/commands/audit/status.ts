// `gatehouse audit status [--json]`: what the log holds and how shipping to the collector goes:
// pending events (count, size, age of the oldest), the last acknowledged seq, last success, last
// attempt and error, whether shipping is paused, and the warning the broker shows when pending
// events near the policy's cap. The sink comes from the policy `serve` would load; a policy that
// cannot be loaded is reported, not fatal, since the log itself is still worth seeing.
import { isGatehouseError } from '../../../../common/errors.js';
import type { AuditPolicy } from '../../../core/audit/audit-policy.js';
import type { AuditStore } from '../../../core/audit/store/audit-store.js';
import { policyOf, type CommonFlags, type Context } from '../../../host/context.js';
import { noLogYet, openExistingLog, withStore } from './open-log.js';
import { humanSize as size, pendingCap } from '../../../core/audit/pending-cap.js';

export interface AuditStatus {
  file: string;
  exists: boolean;
  events?: number;
  firstSeq?: number;
  lastSeq?: number;
  bytes?: number;
  pending?: { events: number; bytes: number; oldest?: number; oldestAgeMs?: number };
  /** Events on disk but not yet in the chain (present only when there are some). */
  staged?: number;
  ackedSeq?: number;
  lastSuccess?: number;
  lastAttempt?: number;
  lastError?: string;
  lastErrorAt?: number;
  parked?: boolean;
  /** The collector from policy; null when policy names none (events stay on this computer). */
  sink: { url: string; format: string } | null;
  /** Where the policy came from, or why it could not be loaded. */
  policy: { source: string } | { error: string };
  /** Pending events near or at the policy's cap. */
  warning?: string;
}

export async function status(ctx: Context, file: string, flags: CommonFlags & { json?: boolean }, now = Date.now()): Promise<void> {
  const { audit, policy } = await auditPolicyOf(ctx, flags);
  const sink = audit?.sink;
  const base: AuditStatus = { file, exists: false, sink: sink === undefined ? null : { url: sink.url, format: sink.format }, policy };
  const store = openExistingLog(file);
  const report = store === undefined ? base : await withStore(store, () => describeStore(store, base, audit, now));
  ctx.out(flags.json ? `${JSON.stringify(report)}\n` : describe(report, now));
}

async function auditPolicyOf(ctx: Context, flags: CommonFlags): Promise<{ audit?: AuditPolicy; policy: AuditStatus['policy'] }> {
  try {
    const { policy, source } = await policyOf(ctx, flags);
    return { audit: policy.audit, policy: { source } };
  } catch (error) {
    if (!isGatehouseError(error)) throw error;
    return { policy: { error: error.message } };
  }
}

function describeStore(store: AuditStore, base: AuditStatus, audit: AuditPolicy | undefined, now: number): AuditStatus {
  const stats = store.stats();
  const pending = store.pending();
  const outbox = store.outbox();
  const staged = store.stagedCount();
  const warning = audit?.sink === undefined ? undefined : pendingCap(pending.bytes, audit.sink, audit.required)?.message;
  return {
    ...base,
    exists: true,
    events: stats.events,
    ...(stats.firstSeq === undefined ? {} : { firstSeq: stats.firstSeq, lastSeq: stats.lastSeq }),
    bytes: stats.bytes,
    pending: { events: pending.events, bytes: pending.bytes, ...(pending.oldest === undefined ? {} : { oldest: pending.oldest, oldestAgeMs: Math.max(0, now - pending.oldest) }) },
    ...(staged > 0 ? { staged } : {}),
    ackedSeq: outbox.ackedSeq,
    ...optional('lastSuccess', outbox.lastSuccess),
    ...optional('lastAttempt', outbox.lastAttempt),
    ...optional('lastError', outbox.lastError),
    ...optional('lastErrorAt', outbox.lastErrorAt),
    parked: outbox.parked,
    ...optional('warning', warning),
  };
}

function describe(s: AuditStatus, now: number): string {
  if (!s.exists) return `${noLogYet(s.file)}\n  collector:     ${collector(s)}\n`;
  const lines = [`Audit log ${s.file}`];
  const range = s.firstSeq === undefined ? '' : ` (seq ${s.firstSeq}–${s.lastSeq})`;
  lines.push(`  events:        ${s.events}${range}, ${size(s.bytes ?? 0)}`);
  lines.push(`  collector:     ${collector(s)}`);
  const p = s.pending!;
  const oldest = p.oldest === undefined ? '' : `, oldest from ${when(p.oldest, now)}`;
  lines.push(`  pending:       ${p.events} event(s), ${size(p.bytes)}${oldest}${s.sink === null && 'source' in s.policy && p.events > 0 ? ' (kept on this computer: no collector)' : ''}`);
  if (s.staged !== undefined) lines.push(`  staged:        ${s.staged} event(s) on disk, not yet in the chain: the broker adds them within a second, or when it next starts if it stopped abruptly`);
  lines.push(`  acknowledged:  ${s.ackedSeq === 0 ? 'nothing yet' : `up to seq ${s.ackedSeq}`}`);
  lines.push(`  last success:  ${s.lastSuccess === undefined ? 'never' : when(s.lastSuccess, now)}`);
  lines.push(`  last attempt:  ${s.lastAttempt === undefined ? 'never' : when(s.lastAttempt, now)}`);
  if (s.lastError !== undefined) lines.push(`  last error:    ${s.lastError}${s.lastErrorAt === undefined ? '' : ` (${when(s.lastErrorAt, now)})`}`);
  if (s.parked) lines.push('  shipping:      paused: the collector refused a batch; fix what the error says, then run gatehouse audit sync --now');
  if (s.warning !== undefined) lines.push(`  WARNING:       ${s.warning}`);
  return `${lines.join('\n')}\n`;
}

function collector(s: AuditStatus): string {
  if ('error' in s.policy) return `unknown: the policy could not be loaded (${s.policy.error})`;
  return s.sink === null ? `none in the policy from ${s.policy.source}: events stay on this computer` : `${s.sink.url} (${s.sink.format})`;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function when(epochMs: number, now: number): string {
  const seconds = Math.round((now - epochMs) / 1000);
  const ago = seconds < 60 ? `${Math.max(0, seconds)} s ago` : seconds < 3600 ? `${Math.round(seconds / 60)} min ago` : seconds < 172_800 ? `${Math.round(seconds / 3600)} h ago` : `${Math.round(seconds / 86_400)} days ago`;
  return `${new Date(epochMs).toISOString()} (${ago})`;
}


