// Runs the real `gatehouse` CLI from source, as `npm run gatehouse -- <args>` does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..', '..', '..');
const CLI = [process.execPath, ['--import', 'tsx', path.join(root, 'main/headless/cli.ts')]] as const;

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI[0], [...CLI[1], ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export interface LongRunning {
  child: ChildProcess;
  line: string;
  output(): string;
  /** Resolves once the output (stdout and stderr so far, or to come) matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a long-running command and resolves once a stdout line matches. */
export function startCli(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<LongRunning> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI[0], [...CLI[1], ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out waiting for ${ready}; stdout: ${stdout}; stderr: ${stderr}`)); }, timeoutMs);
    const stop = () => new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => ready.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        const waitFor = (pattern: RegExp, ms = 20_000) =>
          new Promise<void>((res, rej) => {
            const check = () => {
              if (!pattern.test(stdout + stderr)) return;
              cleanup();
              res();
            };
            const giveUp = setTimeout(() => (cleanup(), rej(new Error(`timed out waiting for ${pattern}; output: ${stdout}${stderr}`))), ms);
            const cleanup = () => {
              clearTimeout(giveUp);
              child.stdout.off('data', check);
              child.stderr.off('data', check);
            };
            child.stdout.on('data', check);
            child.stderr.on('data', check);
            check();
          });
        resolve({ child, line, output: () => stdout + stderr, waitFor, stop });
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code} before ready; stdout: ${stdout}; stderr: ${stderr}`)); });
  });
}
