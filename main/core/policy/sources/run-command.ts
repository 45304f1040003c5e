import { execFile } from 'node:child_process';

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program without a shell. Resolves with its exit code, whatever it is; rejects only when the
 * program could not be started or did not finish in time. Tests pass a fake instead.
 */
export type RunCommand = (file: string, args: readonly string[]) => Promise<CommandResult>;

const TIMEOUT_MS = 15_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { encoding: 'utf8', windowsHide: true, timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES }, (error, stdout, stderr) => {
      if (error === null) resolve({ exitCode: 0, stdout, stderr });
      // A numeric code is the program's own exit status; anything else (ENOENT, a timeout kill) means it never answered.
      else if (typeof error.code === 'number') resolve({ exitCode: error.code, stdout, stderr });
      else reject(error);
    });
  });
