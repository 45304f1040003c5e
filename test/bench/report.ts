// Turns the measurements into the table people read and the one-line JSON machines read. The
// JSON is always the last line of stdout, so `npm run bench | tail -1` feeds CI or a notebook.
import { cpus } from 'node:os';
import type { ThroughputResult } from './measure.js';
import type { BenchPlan, LatencyRow } from './plan.js';
import { percentile, type LatencySummary } from './stats.js';
import { dlpJson, renderDlpTable, type DlpBenchResult } from './dlp.js';
import { auditJson, renderAuditTable, type AuditBenchResult } from './audit.js';

export const TARGETS = { addedP50Ms100b: 1.0, throughputRatioC16: 0.75 } as const;

export interface LatencyResult {
  row: LatencyRow;
  direct: LatencySummary;
  gatehouse?: LatencySummary;
}

export interface BenchResult {
  plan: BenchPlan;
  latency: LatencyResult[];
  throughput: { direct: ThroughputResult; gatehouse?: ThroughputResult };
  /** Gatehouse child's VmRSS after start + initialize, and VmHWM after the load. */
  rss?: { idleMb: number; peakMb: number };
  /** From spawning `gatehouse serve` to its listening line. */
  gatehouseStartupMs?: number;
  errors: number;
  seconds: number;
  /** In-process DLP scan throughput (test/bench/dlp.ts). */
  dlp?: DlpBenchResult;
  /** In-process audit write throughput (test/bench/audit.ts). */
  audit?: AuditBenchResult;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
const fixed = (x: number | undefined, digits = 3): string => (x === undefined ? '-' : x.toFixed(digits));
const signed = (x: number | undefined): string => (x === undefined ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(3)}`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function added(r: LatencyResult, field: 'p50' | 'p99'): number | undefined {
  return r.gatehouse === undefined ? undefined : r.gatehouse[field] - r.direct[field];
}

function verdict(pass: boolean | undefined): string {
  return pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS';
}

interface Headline {
  addedP50Ms100b?: number;
  addedP99Ms100b?: number;
  addedP50Ms1mb?: number;
  throughputRatioC16?: number;
  /** Median over rounds of gatehouse/direct in adjacent slices: a cross-check robust to bursts of noise. */
  throughputRatioC16PairedMedian?: number;
}

function headline(result: BenchResult): Headline {
  const byKey = (key: LatencyRow['key']): LatencyResult | undefined => result.latency.find((r) => r.row.key === key);
  const r100 = byKey('100b');
  const r1m = byKey('1mb');
  const { direct, gatehouse } = result.throughput;
  const h: Headline = {};
  if (r100) {
    h.addedP50Ms100b = added(r100, 'p50');
    h.addedP99Ms100b = added(r100, 'p99');
  }
  if (r1m) h.addedP50Ms1mb = added(r1m, 'p50');
  if (gatehouse) {
    h.throughputRatioC16 = gatehouse.callsPerSecond / direct.callsPerSecond;
    const pairs = gatehouse.slices.map((g, i) => g / direct.slices[i]!).sort((a, b) => a - b);
    if (pairs.length > 0) h.throughputRatioC16PairedMedian = percentile(pairs, 50);
  }
  return h;
}

export function renderTable(result: BenchResult): string {
  const { plan } = result;
  const tp = plan.throughput;
  const out: string[] = [];
  out.push(
    `Gatehouse bench${plan.quick ? ' (quick)' : ''}${plan.directOnly ? ' (direct only)' : ''}: node ${process.version}, ` +
      `${cpus().length} CPUs, upstream ${plan.upstreamJson ? 'application/json' : 'SSE'} responses, ${result.seconds.toFixed(1)} s\n` +
      // The bench's policy names only the server: everything else is default, which is what employees run.
      'Gatehouse runs its default policy: every call audited (on disk before its answer), DLP scanning every argument',
  );
  out.push('');
  out.push(
    table(
      ['Latency at concurrency 1 (ms)', 'direct p50', 'p99', 'gatehouse p50', 'p99', 'added p50', 'added p99', 'calls d/g'],
      result.latency.map((r) => [
        r.row.label,
        fixed(r.direct.p50),
        fixed(r.direct.p99),
        fixed(r.gatehouse?.p50),
        fixed(r.gatehouse?.p99),
        signed(added(r, 'p50')),
        signed(added(r, 'p99')),
        `${r.direct.count}/${r.gatehouse?.count ?? '-'}`,
      ]),
    ),
  );
  out.push('');
  const { direct, gatehouse } = result.throughput;
  const h = headline(result);
  out.push(
    table(
      [`Throughput, ${tp.bytes} B, ${tp.sessions * tp.inFlightPerSession} in flight over ${tp.sessions} sessions`, 'direct', 'gatehouse', 'ratio'],
      [
        ['calls/s', fixed(direct.callsPerSecond, 0), fixed(gatehouse?.callsPerSecond, 0), fixed(h.throughputRatioC16, 2)],
        // Where the two cores went: every process's CPU time divided by the calls made meanwhile.
        ...['client', 'upstream', 'gatehouse'].map((name) => [
          `CPU µs per call, ${name}`,
          fixed(direct.cpuUsPerCall[name], 0),
          fixed(gatehouse?.cpuUsPerCall[name], 0),
          '',
        ]),
      ],
    ),
  );
  if (h.throughputRatioC16PairedMedian !== undefined) {
    out.push(`(median ratio of adjacent slices: ${h.throughputRatioC16PairedMedian.toFixed(2)} over ${gatehouse?.slices.length} rounds)`);
  }
  out.push('');
  out.push(
    result.rss
      ? `Gatehouse RSS: idle ${result.rss.idleMb.toFixed(1)} MB (after start + initialize), peak ${result.rss.peakMb.toFixed(1)} MB (VmHWM after load)`
      : 'Gatehouse RSS: n/a',
  );
  if (result.gatehouseStartupMs !== undefined) out.push(`Gatehouse startup: ${result.gatehouseStartupMs.toFixed(0)} ms to listening`);
  out.push('');
  const p50 = h.addedP50Ms100b;
  const ratio = h.throughputRatioC16;
  out.push(`Target added p50, 100 B /mcp  <= ${TARGETS.addedP50Ms100b.toFixed(1)} ms: ${signed(p50)} ms  ${verdict(p50 === undefined ? undefined : p50 <= TARGETS.addedP50Ms100b)}`);
  out.push(`Target throughput ratio c16   >= ${TARGETS.throughputRatioC16.toFixed(2)}:    ${fixed(ratio, 2)}  ${verdict(ratio === undefined ? undefined : ratio >= TARGETS.throughputRatioC16)}`);
  if (result.errors > 0) out.push(`ERRORS: ${result.errors} failed calls; these figures are not valid`);
  if (result.dlp !== undefined) out.push('', renderDlpTable(result.dlp));
  if (result.audit !== undefined) out.push('', renderAuditTable(result.audit));
  return out.join('\n');
}

const summaryJson = (s: LatencySummary | undefined): Record<string, number> | null =>
  s === undefined ? null : { count: s.count, p50: round(s.p50), p99: round(s.p99), mean: round(s.mean), min: round(s.min), max: round(s.max) };

const throughputJson = (t: ThroughputResult | undefined): Record<string, number | number[]> | null =>
  t === undefined
    ? null
    : {
        calls: t.calls,
        seconds: round(t.seconds),
        calls_per_s: round(t.callsPerSecond, 1),
        slices_calls_per_s: t.slices.map((x) => round(x, 1)),
        ...Object.fromEntries(Object.entries(t.cpuUsPerCall).map(([name, us]) => [`cpu_us_per_call_${name}`, round(us, 1)])),
      };

export function renderJson(result: BenchResult): string {
  const h = headline(result);
  const orNull = (x: number | undefined, digits = 3): number | null => (x === undefined ? null : round(x, digits));
  const { plan } = result;
  return JSON.stringify({
    added_p50_ms_100b: orNull(h.addedP50Ms100b),
    added_p99_ms_100b: orNull(h.addedP99Ms100b),
    added_p50_ms_1mb: orNull(h.addedP50Ms1mb),
    throughput_ratio_c16: orNull(h.throughputRatioC16),
    throughput_ratio_c16_paired_median: orNull(h.throughputRatioC16PairedMedian),
    idle_rss_mb: orNull(result.rss?.idleMb, 1),
    peak_rss_mb: orNull(result.rss?.peakMb, 1),
    gatehouse_startup_ms: orNull(result.gatehouseStartupMs, 0),
    ...dlpJson(result.dlp),
    ...auditJson(result.audit),
    pass: {
      added_p50_ms_100b: h.addedP50Ms100b === undefined ? null : h.addedP50Ms100b <= TARGETS.addedP50Ms100b,
      throughput_ratio_c16: h.throughputRatioC16 === undefined ? null : h.throughputRatioC16 >= TARGETS.throughputRatioC16,
    },
    targets: { added_p50_ms_100b_max: TARGETS.addedP50Ms100b, throughput_ratio_c16_min: TARGETS.throughputRatioC16 },
    latency_ms: Object.fromEntries(
      result.latency.map((r) => [r.row.key, { bytes: r.row.bytes, direct: summaryJson(r.direct), gatehouse: summaryJson(r.gatehouse) }]),
    ),
    throughput_c16: {
      sessions: plan.throughput.sessions,
      in_flight_per_session: plan.throughput.inFlightPerSession,
      direct: throughputJson(result.throughput.direct),
      gatehouse: throughputJson(result.throughput.gatehouse),
    },
    errors: result.errors,
    quick: plan.quick,
    direct_only: plan.directOnly,
    upstream_responses: plan.upstreamJson ? 'json' : 'sse',
    gatehouse_policy: 'default: audit on, DLP on',
    node: process.version,
    cpus: cpus().length,
    seconds: round(result.seconds, 1),
  });
}
