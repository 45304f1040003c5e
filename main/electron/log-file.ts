// The desktop app's log: a file in the OS logs folder (app.getPath('logs')), user-only, started anew
// at launch once it passed a size (the previous one is kept as gatehouse.old.log), each line with its time.
// The core never logs secrets (ports/logger.ts), so the file holds none.
import { createWriteStream, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { streamLogger, type Logger, type LogLevel } from '../core/ports/logger.js';

export const LOG_FILE_NAME = 'gatehouse.log';
export const OLD_LOG_FILE_NAME = 'gatehouse.old.log';

export interface FileLogger extends Logger {
  readonly file: string;
  close(): Promise<void>;
}

export function openFileLogger(dir: string, options: { minimum?: LogLevel; maxBytes?: number; mirror?: (line: string) => void; now?: () => Date } = {}): FileLogger {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, LOG_FILE_NAME);
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  // Rotated at launch only: a tray app runs for days, but its log grows by little more than its calls.
  if (sizeOf(file) >= maxBytes) renameSync(file, path.join(dir, OLD_LOG_FILE_NAME));
  const stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  // A log that cannot be written (disk full) must not take the app down; the mirror still has it.
  stream.on('error', () => undefined);
  let closed = false;
  const now = options.now ?? (() => new Date());
  const inner = streamLogger((line) => {
    const stamped = `${now().toISOString()} ${line}`;
    options.mirror?.(stamped);
    if (!closed) stream.write(stamped);
  }, options.minimum ?? 'info');
  return {
    file,
    log: (level, message, fields) => inner.log(level, message, fields),
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise((resolve) => stream.end(resolve));
    },
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
