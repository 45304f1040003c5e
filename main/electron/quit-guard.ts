// Quitting waits for the core to stop (upstream sessions closed, pending prompts denied, the audit
// trail flushed): the first before-quit is held while it stops, then the app quits for real. A stop
// that hangs does not keep the app alive: after `timeoutMs` it quits anyway (the audit log is a WAL
// database, so what was written is safe).
import type { Logger } from '../core/ports/logger.js';

export interface QuitGuardOptions {
  stop(): Promise<void>;
  /** app.quit(), called once the core stopped. */
  quit(): void;
  logger: Logger;
  timeoutMs?: number;
}

/** The before-quit listener. */
export function createQuitGuard(options: QuitGuardOptions): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  return (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        options.logger.log('error', 'Gatehouse did not stop in time; quitting anyway');
        resolve();
      }, options.timeoutMs ?? 10_000);
    });
    void Promise.race([options.stop().catch((error: unknown) => options.logger.log('error', 'Gatehouse did not stop cleanly', { error: String(error) })), timeout]).finally(() => {
      clearTimeout(timer);
      state = 'stopped';
      options.quit();
    });
  };
}
