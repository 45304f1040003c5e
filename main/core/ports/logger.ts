// Hosts decide where logs go (stderr for the CLI, a rotating file for the desktop app). The core
// never logs secrets: callers pass identifiers, never tokens or argument values.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { log() {} };

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function streamLogger(write: (line: string) => void, minimum: LogLevel = 'info'): Logger {
  return {
    log(level, message, fields) {
      if (ORDER[level] < ORDER[minimum]) return;
      const extra = fields && Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields) : '';
      write(`[gatehouse] ${level}: ${message}${extra}\n`);
    },
  };
}
