// The two measurements, each run over every path in alternating blocks (A B B A A B...) so that
// warm-up, CPU frequency and background drift land on both paths alike instead of on whichever
// path happens to run second.
import { performance } from 'node:perf_hooks';
import type { McpSession } from './mcp-load-client.js';
import { readCpu, type CpuProbe } from './cpu.js';
import type { LatencyRow, ThroughputPlan } from './plan.js';

export type PathName = 'direct' | 'gatehouse';

export interface BenchPath {
  name: PathName;
  /** Concurrency-1 sessions; the direct path has a single endpoint, so both are the same session. */
  latency: { aggregate: McpSession; perServer: McpSession };
  /** Sessions that carry the concurrent load. */
  load: McpSession[];
}

/** Errors are counted, never timed; past `limit` the bench stops, since its numbers are void. */
export class ErrorLog {
  readonly counts = new Map<PathName, number>();
  readonly samples: string[] = [];

  constructor(private readonly limit: number) {}

  record(path: PathName, error: unknown): void {
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
    if (this.samples.length < 10) this.samples.push(`[${path}] ${error instanceof Error ? error.message : String(error)}`);
    if (this.total > this.limit) {
      throw new Error(`aborting: more than ${this.limit} failed calls; first failures:\n${this.samples.join('\n')}`);
    }
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
}

/** Deterministic ASCII text of `bytes` length, not one repeated character (no compressible trivia). */
export function payload(bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let out = '';
  let x = 2463534242;
  while (out.length < bytes) {
    // xorshift32: cheap and the same on every run, so runs compare.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += alphabet[(x >>> 0) % alphabet.length];
  }
  return out;
}

function orderFor(round: number, paths: readonly BenchPath[]): readonly BenchPath[] {
  return round % 2 === 0 ? paths : [...paths].reverse();
}

/** Latency samples (ms) per path at concurrency 1, sessions picked by `row.endpoint`. */
export async function measureLatency(
  paths: readonly BenchPath[],
  row: LatencyRow,
  errors: ErrorLog,
): Promise<Map<PathName, number[]>> {
  const text = payload(row.bytes);
  const samples = new Map<PathName, number[]>(paths.map((p) => [p.name, []]));
  const deadline = performance.now() + row.budgetMs * paths.length;
  const done = (): boolean => paths.every((p) => samples.get(p.name)!.length >= row.count);
  for (let round = 0; !done() && performance.now() < deadline; round++) {
    for (const path of orderFor(round, paths)) {
      const session = path.latency[row.endpoint];
      const mine = samples.get(path.name)!;
      for (let i = 0; i < row.block && mine.length < row.count; i++) {
        try {
          mine.push(await session.echo(text));
        } catch (error) {
          errors.record(path.name, error);
        }
      }
    }
  }
  return samples;
}

export interface ThroughputResult {
  calls: number;
  seconds: number;
  callsPerSecond: number;
  /** calls/s of each slice, to show how steady the rate was. */
  slices: number[];
  /** CPU time per call (µs) of each process measured, over this path's slices. */
  cpuUsPerCall: Record<string, number>;
}

/** One slice: `inFlightPerSession` callers per load session, each calling until the deadline. */
async function slice(path: BenchPath, plan: ThroughputPlan, text: string, errors: ErrorLog): Promise<{ calls: number; ms: number }> {
  const started = performance.now();
  const deadline = started + plan.sliceMs;
  let calls = 0;
  const callers: Promise<void>[] = [];
  for (const session of path.load) {
    for (let i = 0; i < plan.inFlightPerSession; i++) {
      callers.push(
        (async () => {
          while (performance.now() < deadline) {
            try {
              await session.echo(text);
              calls++;
            } catch (error) {
              errors.record(path.name, error);
            }
          }
        })(),
      );
    }
  }
  await Promise.all(callers);
  // The slice ends when its last call does, so calls started before the deadline are counted
  // together with the time they took.
  return { calls, ms: performance.now() - started };
}

export async function measureThroughput(
  paths: readonly BenchPath[],
  plan: ThroughputPlan,
  errors: ErrorLog,
  cpu: CpuProbe = {},
): Promise<Map<PathName, ThroughputResult>> {
  const text = payload(plan.bytes);
  type Total = { calls: number; ms: number; slices: number[]; cpuMs: Record<string, number> };
  const totals = new Map<PathName, Total>(paths.map((p) => [p.name, { calls: 0, ms: 0, slices: [], cpuMs: {} }]));
  const rounds = Math.max(1, Math.round(plan.budgetMs / plan.sliceMs));
  for (let round = 0; round < rounds; round++) {
    for (const path of orderFor(round, paths)) {
      const before = readCpu(cpu);
      const { calls, ms } = await slice(path, plan, text, errors);
      const after = readCpu(cpu);
      const total = totals.get(path.name)!;
      total.calls += calls;
      total.ms += ms;
      total.slices.push((calls * 1000) / ms);
      for (const [name, end] of Object.entries(after)) {
        const start = before[name];
        if (end !== undefined && start !== undefined) total.cpuMs[name] = (total.cpuMs[name] ?? 0) + end - start;
      }
    }
  }
  const out = new Map<PathName, ThroughputResult>();
  for (const [name, t] of totals) {
    const cpuUsPerCall = Object.fromEntries(Object.entries(t.cpuMs).map(([process, ms]) => [process, t.calls > 0 ? (ms * 1000) / t.calls : 0]));
    out.set(name, { calls: t.calls, seconds: t.ms / 1000, callsPerSecond: (t.calls * 1000) / t.ms, slices: t.slices, cpuUsPerCall });
  }
  return out;
}
