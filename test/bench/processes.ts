// Child processes for the bench: spawn, wait for the line that says a child is ready, read its
// memory, and kill it. Every child is tracked so that an error, SIGINT or a plain exit of the
// bench never leaves a server listening behind it.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export type Child = ChildProcessByStdio<null, Readable, Readable> & { readonly label: string };

const live = new Set<Child>();
/** The tail of each child's stderr, so a failure can say what the child said. */
const stderrTails = new WeakMap<Child, string[]>();
const STDERR_TAIL_LINES = 20;

export function spawnChild(label: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Child {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  const child = Object.assign(proc, { label });
  live.add(child);
  const tail: string[] = [];
  stderrTails.set(child, tail);
  createInterface({ input: child.stderr }).on('line', (line) => {
    tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.shift();
  });
  child.on('exit', () => live.delete(child));
  // A child that cannot be spawned emits 'error' and never 'exit'; record it rather than crash.
  child.on('error', (error) => {
    tail.push(`${label}: ${error.message}`);
    live.delete(child);
  });
  return child;
}

export function stderrOf(child: Child): string {
  return (stderrTails.get(child) ?? []).join('\n');
}

function describeExit(child: Child, code: number | null, signal: NodeJS.Signals | null): string {
  const said = stderrOf(child);
  return `${child.label} exited (code ${code}, signal ${signal})${said ? `; stderr:\n${said}` : ''}`;
}

/**
 * Resolves with the first stdout line that `match` maps to a value; rejects if the child exits
 * first or `timeoutMs` passes, so a child that never becomes ready fails the bench quickly.
 */
export function waitForLine<T>(child: Child, match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const seen: string[] = [];
    const done = (): void => {
      clearTimeout(timer);
      lines.close();
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const onError = (error: Error): void => {
      done();
      reject(new Error(`${child.label} could not start: ${error.message}`));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      done();
      reject(new Error(`${describeExit(child, code, signal)}\nstdout:\n${seen.join('\n')}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${child.label} printed no ready line within ${timeoutMs} ms; stdout:\n${seen.join('\n')}\nstderr:\n${stderrOf(child)}`));
    }, timeoutMs);
    lines.on('line', (line) => {
      seen.push(line);
      const value = match(line);
      if (value !== undefined) {
        done();
        // Keep draining stdout so a chatty child never blocks on a full pipe.
        child.stdout.resume();
        resolve(value);
      }
    });
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

/** Runs a command to completion and returns its stdout; rejects on a non-zero exit or timeout. */
export async function runToCompletion(label: string, command: string, args: string[], timeoutMs: number): Promise<string> {
  const child = spawnChild(label, command, args);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c: number | null, s: NodeJS.Signals | null) => resolve([c, s]));
    });
    if (code !== 0) throw new Error(describeExit(child, code, signal));
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`. */
export async function killChild(child: Child, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function killAll(): Promise<void> {
  await Promise.all([...live].map((child) => killChild(child)));
}

// Last resort when the bench exits without reaching its finally blocks (process.exit elsewhere,
// an uncaught error): 'exit' handlers must be synchronous, so no grace period here.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface MemoryMb {
  /** VmRSS: resident set now. */
  rssMb: number;
  /** VmHWM: the peak resident set since the process started. */
  peakRssMb: number;
}

/** Reads /proc/<pid>/status; undefined where there is no procfs (macOS, Windows). */
export function readMemory(pid: number): MemoryMb | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string): number | undefined => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m?.[1] === undefined ? undefined : Number(m[1]);
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  if (rss === undefined || hwm === undefined) return undefined;
  return { rssMb: rss / 1024, peakRssMb: hwm / 1024 };
}
