// `gatehouse audit verify [--json]`: walks the hash chain and reports the first break. A break is an
// error (GATEHOUSE_AUDIT_TAMPERED, exit 1) so scripts and MDM checks can act on it; --json still
// prints the full report on stdout first.
import { GatehouseError } from '../../../../common/errors.js';
import { verifyChain, type VerifyReport } from '../../../core/audit/store/verify-chain.js';
import type { Context } from '../../../host/context.js';
import { requireLog, withStore } from './open-log.js';

export async function verify(ctx: Context, file: string, flags: { json?: boolean }): Promise<void> {
  const report = await withStore(requireLog(file), (store) => verifyChain(store));
  if (flags.json) ctx.out(`${JSON.stringify({ file, ...report })}\n`);
  if (report.break === undefined) {
    if (!flags.json) ctx.out(`${describeOk(report)}\n`);
    return;
  }
  const { kind, seq, message } = report.break;
  const before = report.checked === 0 ? 'no event before it checks out' : `the ${report.checked} event(s) before it check out`;
  throw new GatehouseError(
    'GATEHOUSE_AUDIT_TAMPERED',
    `audit log broken at event ${seq} (${kind}): ${message}; ${before}. Keep a copy of ${file} for your security team before Gatehouse writes to it again`,
  );
}

function describeOk(report: VerifyReport): string {
  const range = report.firstSeq === undefined ? '' : ` (seq ${report.firstSeq}–${report.lastSeq})`;
  return `audit log OK: ${report.checked} event(s)${range}, from ${report.from}`;
}
