// Where `gatehouse audit export` writes: stdout, or a file readable by the user only (0600) that
// appears whole or not at all (written to a temp file beside it, synced, then renamed), so a
// collector picking up files from a folder never reads half an export. Writes wait for the
// destination to drain, so an export of millions of events uses the memory of one page.
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory } from '../../../core/data-dir.js';
import type { Context } from '../../../host/context.js';

export interface ExportOutput {
  write(text: string): Promise<void>;
  /** Makes the output final (the file appears under its name). */
  finish(): Promise<void>;
  /** Leaves nothing behind after a failure. */
  abandon(): Promise<void>;
}

export function stdoutOutput(ctx: Context): ExportOutput {
  return {
    async write(text) {
      ctx.out(text);
      // ctx.out is process.stdout in the CLI; a slow reader (a pipe into gzip, ssh) must slow us down.
      if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
    },
    finish: async () => {},
    abandon: async () => {},
  };
}

export async function privateFileOutput(file: string): Promise<ExportOutput> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' refuses to follow a file or symlink planted at the temp name.
  const handle: FileHandle = await open(temp, 'wx', 0o600);
  let isOpen = true;
  const close = async () => {
    if (!isOpen) return;
    isOpen = false;
    await handle.close();
  };
  try {
    await handle.chmod(0o600); // the umask may have stripped bits; exactly 0600 is the point
  } catch (error) {
    await close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return {
    async write(text) {
      await handle.write(text, null, 'utf8');
    },
    async finish() {
      await handle.sync();
      await close();
      await rename(temp, target);
      await syncDirectory(dir);
    },
    async abandon() {
      await close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    },
  };
}
