// Serialises read-modify-write cycles on a file shared by several processes (the CLI, the desktop
// app, a second terminal). Without it two concurrent `gatehouse connect` runs could each write
// their own copy and one client's new token would silently vanish.
import { open, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatehouseError } from '../../../common/errors.js';

export interface FileLockOptions {
  /** How long to wait for another holder before giving up. */
  readonly timeoutMs?: number;
  /** A lock older than this is left over from a crashed process and is broken. */
  readonly staleMs?: number;
}

const errnoCode = (error: unknown): unknown => (error instanceof Error && 'code' in error ? error.code : undefined);

export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid)).finally(() => handle.close());
      break;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
    const held = await stat(lockPath).catch(() => undefined);
    if (held !== undefined && Date.now() - held.mtimeMs > staleMs) {
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new GatehouseError(
        'GATEHOUSE_INTERNAL',
        `Another Gatehouse process is changing the same file (lock ${lockPath}). Try again in a moment; ` +
          `if no other gatehouse command is running, delete ${lockPath}.`,
      );
    }
    await sleep(20 + Math.floor(Math.random() * 30));
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
