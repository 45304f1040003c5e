// Builds and starts the processes under test. Both the echo upstream and the Gatehouse CLI are
// bundled with esbuild and run on the pinned Node 22, so the bench measures shipped code rather
// than the tsx loader, and both paths pay the same for the upstream.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as z from 'zod';
import { runToCompletion, spawnChild, waitForLine, type Child } from './processes.js';

export const repoRoot = join(import.meta.dirname, '..', '..');
const READY_TIMEOUT_MS = 15_000;

/** The pinned Node 22 from the `node` devDependency; the system Node may be older. */
export function nodeBinary(): string {
  const pinned = join(repoRoot, 'node_modules', '.bin', 'node');
  return existsSync(pinned) ? pinned : process.execPath;
}

export interface Workspace {
  dir: string;
  echoServerJs: string;
  /** Absent with --direct-only, where the CLI may not even compile yet. */
  cliJs?: string;
  dataDir: string;
  policyFile: string;
  remove(): Promise<void>;
}

export async function prepareWorkspace(withCli: boolean): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-bench-'));
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    // Packages stay external (as in the shipped CLI); Node resolves them from the bundle's own
    // folder upwards, so the temp dir gets a link to the repository's node_modules.
    await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const entryPoints: Record<string, string> = { 'echo-server': join(repoRoot, 'test/bench/echo-server.ts') };
    if (withCli) entryPoints.cli = join(repoRoot, 'main/headless/cli.ts');
    await build({
      entryPoints,
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
      logLevel: 'error',
    });
    return {
      dir,
      echoServerJs: join(dir, 'echo-server.mjs'),
      ...(withCli ? { cliJs: join(dir, 'cli.mjs') } : {}),
      dataDir: join(dir, 'data'),
      policyFile: join(dir, 'policy.json'),
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

const PortLine = z.object({ port: z.number().int().positive() });

export async function startEchoServer(ws: Workspace, jsonResponses: boolean): Promise<{ child: Child; url: string }> {
  const child = spawnChild('echo-server', nodeBinary(), [ws.echoServerJs, ...(jsonResponses ? ['--json'] : [])]);
  const port = await waitForLine(
    child,
    (line) => {
      try {
        return PortLine.parse(JSON.parse(line)).port;
      } catch {
        return undefined;
      }
    },
    READY_TIMEOUT_MS,
  );
  return { child, url: `http://127.0.0.1:${port}/mcp` };
}

export async function writePolicy(ws: Workspace, echoUrl: string): Promise<void> {
  const policy = { version: 1, servers: [{ id: 'echo', url: echoUrl, auth: { mode: 'none' } }] };
  await writeFile(ws.policyFile, `${JSON.stringify(policy, null, 2)}\n`, { mode: 0o600 });
}

const ConnectOutput = z.object({ url: z.string(), headers: z.record(z.string(), z.string()) });
export type ClientRegistration = z.infer<typeof ConnectOutput>;

/** The JSON object `connect --json` prints: the whole stdout, or failing that its last JSON line. */
export function parseConnectOutput(stdout: string): ClientRegistration {
  const candidates = [stdout.trim(), ...stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{')).reverse()];
  for (const text of candidates) {
    try {
      return ConnectOutput.parse(JSON.parse(text));
    } catch {
      // Not this one; try the next candidate.
    }
  }
  throw new Error(`gatehouse connect printed no {"url","headers"} JSON object; stdout:\n${stdout.slice(0, 1000)}`);
}

function cli(ws: Workspace): string {
  if (ws.cliJs === undefined) throw new Error('the Gatehouse CLI was not bundled (--direct-only)');
  return ws.cliJs;
}

/** Registers the bench as a client; must run before `serve`, with the same data dir and policy. */
export async function registerClient(ws: Workspace): Promise<ClientRegistration> {
  const args = [cli(ws), 'connect', 'generic', '--name', 'bench', '--print', '--json', '--data-dir', ws.dataDir, '--policy', ws.policyFile];
  return parseConnectOutput(await runToCompletion('gatehouse connect', nodeBinary(), args, READY_TIMEOUT_MS));
}

const LISTENING = /http:\/\/127\.0\.0\.1:(\d+)\/mcp\b/;

export async function startGatehouse(ws: Workspace): Promise<{ child: Child; port: number }> {
  // BENCH_GATEHOUSE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the broker alone.
  const nodeArgs = process.env['BENCH_GATEHOUSE_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  const args = [...nodeArgs, cli(ws), 'serve', '--policy', ws.policyFile, '--port', '0', '--data-dir', ws.dataDir];
  const child = spawnChild('gatehouse serve', nodeBinary(), args);
  const port = await waitForLine(
    child,
    (line) => {
      const m = LISTENING.exec(line);
      const port = Number(m?.[1]);
      // Port 0 would be the flag echoed back, not the port it listens on.
      return port > 0 ? port : undefined;
    },
    READY_TIMEOUT_MS,
  );
  return { child, port };
}
