// Runs the real `gatehouse` CLI from source as a user would, in a private world: the given
// environment only (no variable of the test runner leaks in), the user's home as working
// directory, and each process's stdout and stderr written to a log file of its own as they arrive,
// so a crash loses nothing of what was printed. Keeps every process it started, to stop them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync } from 'node:fs';
import path from 'node:path';

const REPO = path.join(import.meta.dirname, '..', '..', '..', '..');
const CLI = path.join(REPO, 'main', 'headless', 'cli.ts');
// Resolved here: from the user's home, `--import tsx` would find no tsx.
const TSX = import.meta.resolve('tsx');

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  /** The stdout line that matched `ready`. */
  readonly line: string;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<Finished>;
}

export interface SpawnOptions {
  /** false: keep stdout out of the log file (`connect generic --print`, whose output is the client token the user asked to see). */
  readonly logStdout?: boolean;
  /** Longest wait for `ready`, or for a command run() to finish (it is killed then). Default 20 s. */
  readonly timeoutMs?: number;
}

/** What one process printed, for checks across every process of a run. */
export interface Printed {
  readonly command: string;
  readonly stream: 'stdout' | 'stderr';
  text(): string;
}

export class GatehouseCli {
  readonly #children = new Set<ChildProcess>();
  readonly #printed: Printed[] = [];
  #count = 0;

  constructor(
    private readonly options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly logDir: string },
  ) {}

  /** Everything every process printed so far, stdout and stderr apart. */
  printed(): readonly Printed[] {
    return this.#printed;
  }

  /** Runs a command to its end. */
  async run(args: string[], options: SpawnOptions = {}): Promise<Finished> {
    const { child, exited } = this.#spawn(args, options);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    return exited.finally(() => clearTimeout(timer));
  }

  /** Starts a command and resolves once a stdout line matches `ready`. */
  start(args: string[], ready: RegExp, options: SpawnOptions = {}): Promise<Running> {
    const started = this.#spawn(args, options);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        started.child.kill('SIGKILL');
        reject(new Error(`gatehouse ${args.join(' ')}: no line matching ${ready} in time.\nstdout: ${started.stdout()}\nstderr: ${started.stderr()}`));
      }, options.timeoutMs ?? 20_000);
      const look = () => {
        const line = started.stdout().split('\n').find((l) => ready.test(l));
        if (line === undefined) return;
        clearTimeout(timer);
        started.child.stdout?.off('data', look);
        resolve({ ...started, line });
      };
      started.child.stdout?.on('data', look);
      started.exited.then(
        (end) => {
          clearTimeout(timer);
          reject(new Error(`gatehouse ${args.join(' ')} exited (${end.code ?? end.signal}) before printing ${ready}.\nstdout: ${end.stdout}\nstderr: ${end.stderr}`));
        },
        reject,
      );
    });
  }

  /** Kills (SIGKILL) every process still running and waits for each to end. */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.#children].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }),
    );
  }

  #spawn(args: string[], options: SpawnOptions): Omit<Running, 'line'> {
    const n = ++this.#count;
    const firstFlag = args.findIndex((a) => a.startsWith('-'));
    const command = `${String(n).padStart(2, '0')}-${(firstFlag < 0 ? args : args.slice(0, firstFlag)).join('-')}`;
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd: this.options.cwd, env: this.options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#children.add(child);
    const out = { stdout: '', stderr: '' };
    const logFile = path.join(this.options.logDir, `${command}.log`);
    appendFileSync(logFile, `$ gatehouse ${args.join(' ')}\n`, { mode: 0o600 });
    for (const stream of ['stdout', 'stderr'] as const) {
      this.#printed.push({ command, stream, text: () => out[stream] });
      child[stream].setEncoding('utf8').on('data', (text: string) => {
        out[stream] += text;
        if (stream === 'stderr' || options.logStdout !== false) appendFileSync(logFile, text);
      });
    }
    const exited = new Promise<Finished>((resolve, reject) => {
      child.once('error', reject);
      // 'close': every byte of stdout and stderr has arrived, also after SIGKILL.
      child.once('close', (code, signal) => resolve({ code, signal, stdout: out.stdout, stderr: out.stderr }));
    });
    return { child, stdout: () => out.stdout, stderr: () => out.stderr, exited };
  }
}
