// `npm run bench [-- --quick] [-- --direct-only] [-- --upstream-json]`
//
// Measures, in one run against one echo upstream, the direct path (load client -> upstream) and
// the path through Gatehouse (load client -> bundled `gatehouse serve` -> upstream), and reports
// what Gatehouse adds. Progress goes to stderr; the table and, last, one JSON line to stdout.
// Exit code: 0 when the bench ran cleanly (targets missed or not), 1 when it could not run or
// any call failed.
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { prepareWorkspace, registerClient, startEchoServer, startGatehouse, writePolicy, type Workspace } from './children.js';
import { McpEndpoint, type McpSession } from './mcp-load-client.js';
import { ErrorLog, measureLatency, measureThroughput, type BenchPath, type PathName } from './measure.js';
import { parsePlan, type BenchPlan } from './plan.js';
import { killAll, readMemory } from './processes.js';
import { processCpuMs, selfCpuMs, type CpuProbe } from './cpu.js';
import { renderJson, renderTable, type BenchResult, type LatencyResult } from './report.js';
import { summarize } from './stats.js';
import { measureDlp } from './dlp.js';
import { measureAudit } from './audit.js';

// A handful of failures is enough to know the figures are void; stop instead of timing errors.
const ERROR_LIMIT = 20;

const progress = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`);
};

let workspaceDir: string | undefined;

async function openPath(name: PathName, aggregate: McpEndpoint, perServer: McpEndpoint, plan: BenchPlan): Promise<BenchPath> {
  const latencyAggregate = await aggregate.openSession(`bench-${name}-latency`);
  const latencyPerServer = perServer === aggregate ? latencyAggregate : await perServer.openSession(`bench-${name}-latency-per-server`);
  const load: McpSession[] = [];
  for (let i = 0; i < plan.throughput.sessions; i++) load.push(await aggregate.openSession(`bench-${name}-load-${i}`));
  return { name, latency: { aggregate: latencyAggregate, perServer: latencyPerServer }, load };
}

async function bench(plan: BenchPlan, ws: Workspace, endpoints: McpEndpoint[]): Promise<BenchResult> {
  const started = performance.now();
  const connections = plan.throughput.sessions * plan.throughput.inFlightPerSession;

  const echo = await startEchoServer(ws, plan.upstreamJson);
  progress(`echo upstream at ${echo.url}`);
  const direct = new McpEndpoint({ label: 'direct', url: echo.url, headers: {}, toolName: 'echo' }, connections);
  endpoints.push(direct);
  const paths: BenchPath[] = [await openPath('direct', direct, direct, plan)];

  let gatehousePid: number | undefined;
  let idleMb: number | undefined;
  let gatehouseStartupMs: number | undefined;
  if (!plan.directOnly) {
    await writePolicy(ws, echo.url);
    const registration = await registerClient(ws);
    const spawned = performance.now();
    const gatehouse = await startGatehouse(ws);
    gatehouseStartupMs = performance.now() - spawned;
    gatehousePid = gatehouse.child.pid;
    // The URL from `connect` was printed before serve chose its port; only the token carries over.
    const base = `http://127.0.0.1:${gatehouse.port}/mcp`;
    progress(`gatehouse at ${base} (pid ${gatehousePid})`);
    const aggregate = new McpEndpoint({ label: 'gatehouse /mcp', url: base, headers: registration.headers, toolName: 'echo__echo' }, connections);
    const perServer = new McpEndpoint({ label: 'gatehouse /mcp/echo', url: `${base}/echo`, headers: registration.headers, toolName: 'echo' }, 1);
    endpoints.push(aggregate, perServer);
    paths.push(await openPath('gatehouse', aggregate, perServer, plan));
    idleMb = gatehousePid === undefined ? undefined : readMemory(gatehousePid)?.rssMb;
  }

  // The per-server row compares direct with /mcp/echo; without Gatehouse it would repeat 100 B.
  const rows = plan.latency.filter((r) => !(plan.directOnly && r.endpoint === 'perServer'));
  const warmRows = plan.warmup.latency.filter((r) => !(plan.directOnly && r.endpoint === 'perServer'));
  const errors = new ErrorLog(ERROR_LIMIT);

  progress('warming up (JIT, connection pools, upstream sessions)');
  for (const row of warmRows) await measureLatency(paths, row, errors);
  await measureThroughput(paths, plan.warmup.throughput, errors);

  const latency: LatencyResult[] = [];
  for (const row of rows) {
    progress(`latency ${row.label.replace(/\s+/g, ' ')}`);
    const samples = await measureLatency(paths, row, errors);
    const d = samples.get('direct')!;
    const g = samples.get('gatehouse');
    if (d.length === 0 || g?.length === 0) throw new Error(`no successful calls for ${row.label}`);
    latency.push({ row, direct: summarize(d), ...(g ? { gatehouse: summarize(g) } : {}) });
  }

  const tp = plan.throughput;
  progress(`throughput, ${tp.sessions * tp.inFlightPerSession} in flight over ${tp.sessions} sessions`);
  const cpu: CpuProbe = { client: selfCpuMs, upstream: () => (echo.child.pid === undefined ? undefined : processCpuMs(echo.child.pid)) };
  if (gatehousePid !== undefined) cpu['gatehouse'] = () => processCpuMs(gatehousePid);
  const rates = await measureThroughput(paths, tp, errors, cpu);
  const gatehouseRate = rates.get('gatehouse');

  // VmHWM is the high-water mark over the child's whole life, so reading it once at the end,
  // while the child still runs, gives the peak under load.
  const memory = gatehousePid === undefined ? undefined : readMemory(gatehousePid);
  if (errors.total > 0) progress(`${errors.total} failed calls; first failures:\n${errors.samples.join('\n')}`);
  return {
    plan,
    latency,
    throughput: { direct: rates.get('direct')!, ...(gatehouseRate ? { gatehouse: gatehouseRate } : {}) },
    ...(memory && idleMb !== undefined ? { rss: { idleMb, peakMb: memory.peakRssMb } } : {}),
    ...(gatehouseStartupMs !== undefined ? { gatehouseStartupMs } : {}),
    errors: errors.total,
    seconds: (performance.now() - started) / 1000,
  };
}

async function main(): Promise<number> {
  const plan = parsePlan(process.argv.slice(2));
  // DLP is measured in this process, before any child starts competing for the CPUs.
  progress('DLP throughput');
  const dlp = measureDlp(plan.quick);
  progress('audit write throughput');
  const audit = await measureAudit(plan.quick);
  const ws = await prepareWorkspace(!plan.directOnly);
  workspaceDir = ws.dir;
  const endpoints: McpEndpoint[] = [];
  try {
    const result: BenchResult = { ...(await bench(plan, ws, endpoints)), dlp, audit };
    process.stdout.write(`${renderTable(result)}\n${renderJson(result)}\n`);
    return result.errors > 0 ? 1 : 0;
  } finally {
    await Promise.all(endpoints.map((e) => e.close().catch(() => undefined)));
    await killAll();
    await ws.remove();
    workspaceDir = undefined;
  }
}

// Ctrl-C mid-run: the finally above never runs, so stop the children and drop the temp dir here.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping children`);
    void killAll().finally(() => {
      if (workspaceDir) rmSync(workspaceDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
