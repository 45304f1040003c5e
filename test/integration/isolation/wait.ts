// Bounded waits. Tests wait on an event or poll a condition; they never sleep to synchronise.

/** Rejects if `promise` has not settled within `ms`. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `check` until it returns a value other than undefined, or fails after `timeoutMs` with the
 * last thing it saw. A check that throws counts as not yet.
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    // The poll interval, not a synchronisation point.
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Counts notifications of one kind and lets a test wait for the next one. */
export class Arrivals {
  private count = 0;
  private readonly waiters = new Set<() => void>();

  get value(): number {
    return this.count;
  }

  readonly add = (): void => {
    this.count += 1;
    for (const wake of this.waiters) wake();
  };

  /** Resolves once more than `seen` have arrived. */
  after(seen: number, ms: number, what: string): Promise<void> {
    return within(ms, what, new Promise<void>((resolve) => {
      const check = (): void => {
        if (this.count <= seen) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    }));
  }
}
