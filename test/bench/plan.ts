// What the bench measures and how long it may take. Each measurement stops at a call count or a
// time budget, whichever comes first; budgets are per path, so a run with both paths takes at
// most twice as long as --direct-only. --quick must fit in 60 s including startup; the full run
// in about 4 minutes.
import { parseArgs } from 'node:util';

export interface LatencyRow {
  /** Key in the JSON output and label in the table. */
  key: '100b' | '10kb' | '1mb' | '100b_per_server';
  label: string;
  /** Length of the `text` argument: ASCII, so characters are bytes. */
  bytes: number;
  /** Gatehouse side of the row: the aggregate `/mcp` (main path) or the per-server `/mcp/echo`. */
  endpoint: 'aggregate' | 'perServer';
  count: number;
  budgetMs: number;
  /** Calls per block before switching paths; blocks alternate so drift hits both paths alike. */
  block: number;
}

/**
 * Concurrent load: 16 calls in flight, spread over 4 sessions (4 per session). One agent runs
 * parallel tool calls inside one session, and several agents share a broker, so this exercises
 * both in-session concurrency and Gatehouse's per-session routing to upstream sessions.
 */
export interface ThroughputPlan {
  budgetMs: number;
  /** Length of one alternating slice per path. */
  sliceMs: number;
  sessions: number;
  inFlightPerSession: number;
  bytes: number;
}

export interface BenchPlan {
  quick: boolean;
  directOnly: boolean;
  upstreamJson: boolean;
  warmup: { latency: LatencyRow[]; throughput: ThroughputPlan };
  latency: LatencyRow[];
  throughput: ThroughputPlan;
}

// Decimal sizes: a 1 MiB argument plus its JSON-RPC envelope would land just over a 1 MiB body
// cap, and the bench should measure the proxy, not trip its size limit.
const B100 = 100;
const KB10 = 10_000;
const MB1 = 1_000_000;

function rows(quick: boolean): LatencyRow[] {
  const s = (full: number, fast: number): number => (quick ? fast : full);
  return [
    { key: '100b', label: '100 B  /mcp', bytes: B100, endpoint: 'aggregate', count: s(5000, 1000), budgetMs: s(20_000, 3_500), block: 50 },
    { key: '10kb', label: '10 KB  /mcp', bytes: KB10, endpoint: 'aggregate', count: s(3000, 500), budgetMs: s(15_000, 2_500), block: 25 },
    { key: '1mb', label: '1 MB   /mcp', bytes: MB1, endpoint: 'aggregate', count: s(200, 30), budgetMs: s(20_000, 3_000), block: 5 },
    { key: '100b_per_server', label: '100 B  /mcp/echo', bytes: B100, endpoint: 'perServer', count: s(3000, 500), budgetMs: s(10_000, 2_000), block: 50 },
  ];
}

export function parsePlan(argv: string[]): BenchPlan {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      'direct-only': { type: 'boolean', default: false },
      'upstream-json': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const quick = values.quick;
  const throughput: ThroughputPlan = {
    budgetMs: quick ? 5_000 : 20_000,
    sliceMs: quick ? 500 : 1_000,
    sessions: 4,
    inFlightPerSession: 4,
    bytes: B100,
  };
  const warmupRow = (row: LatencyRow, count: number, budgetMs: number): LatencyRow => ({ ...row, count, budgetMs });
  const [r100, r10k, r1m, rPerServer] = rows(quick) as [LatencyRow, LatencyRow, LatencyRow, LatencyRow];
  return {
    quick,
    directOnly: values['direct-only'],
    upstreamJson: values['upstream-json'],
    warmup: {
      latency: [
        warmupRow(r100, quick ? 400 : 1000, quick ? 1_000 : 3_000),
        warmupRow(r10k, quick ? 100 : 300, quick ? 500 : 2_000),
        warmupRow(r1m, quick ? 3 : 10, quick ? 500 : 3_000),
        warmupRow(rPerServer, quick ? 100 : 300, quick ? 500 : 1_000),
      ],
      // The SDK upstream needs seconds of load before its JIT settles; a short burst at c16
      // gets most of that out of the way before anything is recorded.
      throughput: { ...throughput, budgetMs: quick ? 1_500 : 4_000, sliceMs: quick ? 750 : 1_000 },
    },
    latency: [r100, r10k, r1m, rPerServer],
    throughput,
  };
}
