// Audit write throughput, in process: realistic tool-call events recorded through the AuditLog the
// broker uses (staged per turn in its journal file, sealed into the hash chain in bulk, WAL with
// synchronous=NORMAL) into a fresh database, by many concurrent "calls" that each wait until their
// event is on disk, as a call waits before its answer.
// Sustained: the figure covers the whole run, every event on disk at the end.
//
// Part of `npm run bench`; alone: node_modules/.bin/node --import tsx test/bench/audit.ts [--quick]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditEventInput } from '../../common/audit-event.js';
import { auditArguments } from '../../main/core/audit/audit-arguments.js';
import { AuditLog } from '../../main/core/audit/audit-log.js';
import { AuditPolicySchema } from '../../main/core/audit/audit-policy.js';
import { AuditStore } from '../../main/core/audit/store/audit-store.js';
import { verifyChain } from '../../main/core/audit/store/verify-chain.js';
import { systemClock } from '../../main/core/ports/clock.js';
import { silentLogger } from '../../main/core/ports/logger.js';

export const AUDIT_TARGET_EVENTS_PER_S = 20_000;
/** Calls in flight at once, each recording and awaiting its event, then starting the next. */
const CONCURRENCY = 64;

export interface AuditBenchResult {
  events: number;
  seconds: number;
  eventsPerS: number;
  bytesPerEvent: number;
  verifySeconds: number;
}

function callEvent(i: number): AuditEventInput {
  const args = { query: `invoices for customer ${i % 997}`, limit: 20, include: ['lines', 'payments'] };
  return {
    type: 'tool.call',
    user: 'alice@example.com',
    client: 'cursor',
    session: `session-${i % 16}`,
    server: 'billing',
    tool: 'search_invoices',
    method: 'tools/call',
    decision: 'allowed',
    steps: [
      { step: 'authorization', outcome: 'allow' },
      { step: 'dlp', outcome: 'allow' },
      { step: 'approval', outcome: 'allow' },
    ],
    status: 'ok',
    latencyMs: 3.21,
    ...auditArguments('redacted', args, args),
  };
}

export async function measureAudit(quick: boolean): Promise<AuditBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-audit-'));
  const file = path.join(dir, 'audit.db');
  const log = new AuditLog({ open: () => AuditStore.open(file), policy: AuditPolicySchema.parse({}), clock: systemClock, logger: silentLogger });
  try {
    const total = quick ? 50_000 : 200_000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) await log.record(callEvent(next++));
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // Sustained means in the chain, not only staged: the last events are sealed inside the timing.
    log.flush();
    const seconds = (performance.now() - started) / 1000;
    const store = log.current!;
    const { bytes } = store.pending();
    const verifyStarted = performance.now();
    const report = verifyChain(store);
    if (!report.ok || report.checked !== total) throw new Error(`the benchmark log does not verify: ${JSON.stringify(report)}`);
    return { events: total, seconds, eventsPerS: total / seconds, bytesPerEvent: bytes / total, verifySeconds: (performance.now() - verifyStarted) / 1000 };
  } finally {
    log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderAuditTable(result: AuditBenchResult): string {
  const pass = result.eventsPerS >= AUDIT_TARGET_EVENTS_PER_S;
  return [
    `Audit log: ${result.events} tool-call events, ${CONCURRENCY} concurrent calls each awaiting its write (staged in a journal, sealed into WAL SQLite with synchronous=NORMAL, hash chain)`,
    `  ${Math.round(result.eventsPerS)} events/s sustained over ${result.seconds.toFixed(1)} s; ${Math.round(result.bytesPerEvent)} bytes/event; verify ${result.verifySeconds.toFixed(1)} s`,
    `Target audit >= ${AUDIT_TARGET_EVENTS_PER_S} events/s: ${Math.round(result.eventsPerS)}  ${pass ? 'PASS' : 'MISS'}`,
  ].join('\n');
}

export function auditJson(result: AuditBenchResult | undefined): Record<string, number | null> {
  return {
    audit_events_per_s: result === undefined ? null : Math.round(result.eventsPerS),
    audit_bytes_per_event: result === undefined ? null : Math.round(result.bytesPerEvent),
    audit_verify_s: result === undefined ? null : Number(result.verifySeconds.toFixed(2)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureAudit(process.argv.includes('--quick'));
  process.stdout.write(`${renderAuditTable(result)}\n${JSON.stringify(auditJson(result))}\n`);
}
