// DLP throughput, in process: the DLP guard step (every built-in detector, default policy) over
// 1 MB of realistic tool-call arguments without secrets, and over the same with a synthetic
// secret or personal value about every 4 KB. Each case warms up, then runs until its time budget;
// the best run is the figure (least disturbed by other work on the machine), the median says how
// noisy the machine was. MB is 10^6 bytes of the arguments as JSON.
//
// Part of `npm run bench`; alone: node_modules/.bin/node --import tsx test/bench/dlp.ts [--quick]
import { performance } from 'node:perf_hooks';
import { DlpStep } from '../../main/core/guard/dlp/dlp-step.js';
import { BUILTIN_DETECTORS } from '../../main/core/guard/dlp/detectors/index.js';
import { argumentsWithSecrets, cleanArguments } from '../fixtures/dlp/payloads.js';
import { percentile } from './stats.js';

export const DLP_TARGET_MB_PER_S_CLEAN = 200;
const PAYLOAD_BYTES = 1_000_000;

export interface DlpCaseResult {
  bytes: number;
  runs: number;
  bestMbPerS: number;
  medianMbPerS: number;
  findings: number;
}

export interface DlpBenchResult {
  detectors: number;
  clean: DlpCaseResult;
  secrets: DlpCaseResult & { planted: number };
}

function measure(step: DlpStep, args: unknown, budgetMs: number): DlpCaseResult {
  const bytes = JSON.stringify(args).length;
  const findings = (d: ReturnType<DlpStep['checkToolCall']>): number => (d.kind === 'allow' ? 0 : d.findings.length);
  let found = 0;
  for (let i = 0; i < 5; i++) found = findings(step.checkToolCall('bench', 'bench_tool', args));
  const times: number[] = [];
  const started = performance.now();
  while (performance.now() - started < budgetMs || times.length < 5) {
    const t = performance.now();
    step.checkToolCall('bench', 'bench_tool', args);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const mbPerS = (ms: number): number => bytes / 1e6 / (ms / 1000);
  return { bytes, runs: times.length, bestMbPerS: mbPerS(times[0]!), medianMbPerS: mbPerS(percentile(times, 50)), findings: found };
}

export function measureDlp(quick: boolean): DlpBenchResult {
  const step = new DlpStep();
  const budgetMs = quick ? 1_500 : 5_000;
  const clean = measure(step, cleanArguments(PAYLOAD_BYTES, 1), budgetMs);
  const planted = argumentsWithSecrets(PAYLOAD_BYTES, 2);
  const secrets = measure(step, planted.arguments, budgetMs);
  return { detectors: BUILTIN_DETECTORS.length, clean, secrets: { ...secrets, planted: planted.planted } };
}

export function renderDlpTable(result: DlpBenchResult): string {
  const row = (label: string, c: DlpCaseResult): string[] => [label, (c.bytes / 1e6).toFixed(2), c.bestMbPerS.toFixed(0), c.medianMbPerS.toFixed(0), String(c.findings), String(c.runs)];
  const rows = [row('clean JSON', result.clean), row(`with secrets (${result.secrets.planted} planted)`, result.secrets)];
  const header = [`DLP throughput, ${result.detectors} detectors`, 'MB', 'best MB/s', 'median MB/s', 'findings', 'runs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const pass = result.clean.bestMbPerS >= DLP_TARGET_MB_PER_S_CLEAN;
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `Target DLP clean >= ${DLP_TARGET_MB_PER_S_CLEAN} MB/s: ${result.clean.bestMbPerS.toFixed(0)} MB/s  ${pass ? 'PASS' : 'MISS'}`,
  ].join('\n');
}

/** The fields `npm run bench` adds to its JSON line. */
export function dlpJson(result: DlpBenchResult | undefined): Record<string, number | null> {
  return {
    dlp_mb_per_s_clean: result === undefined ? null : Number(result.clean.bestMbPerS.toFixed(1)),
    dlp_mb_per_s_secrets: result === undefined ? null : Number(result.secrets.bestMbPerS.toFixed(1)),
    dlp_mb_per_s_clean_median: result === undefined ? null : Number(result.clean.medianMbPerS.toFixed(1)),
    dlp_mb_per_s_secrets_median: result === undefined ? null : Number(result.secrets.medianMbPerS.toFixed(1)),
  };
}

if (process.argv[1]?.endsWith('dlp.ts')) {
  const result = measureDlp(process.argv.includes('--quick'));
  process.stdout.write(`${renderDlpTable(result)}\n${JSON.stringify(dlpJson(result))}\n`);
}
