// Bounded waiting: every promise a protocol test waits on gets a deadline and a message saying
// what never happened, so a regression fails fast and legibly instead of hanging the run.

/** Resolves or rejects with `promise`, or rejects after `ms` with "timed out: <what>". */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Items that arrive over time (notifications, server-to-client requests), with a way to wait for
 * the first one matching a predicate, including one that already arrived.
 */
export class Inbox<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<{ match: (item: T) => boolean; resolve: (item: T) => void }>();

  push(item: T): void {
    this.items.push(item);
    for (const w of [...this.waiters]) {
      if (w.match(item)) {
        this.waiters.delete(w);
        w.resolve(item);
      }
    }
  }

  /** Drops what arrived so far: waits after this see only newer items. */
  clear(): void {
    this.items.length = 0;
  }

  next(what: string, match: (item: T) => boolean = () => true, ms = 3_000): Promise<T> {
    const found = this.items.find(match);
    if (found !== undefined) return Promise.resolve(found);
    const waiter = { match, resolve: (_item: T) => {} };
    const arrived = new Promise<T>((resolve) => {
      waiter.resolve = resolve;
      this.waiters.add(waiter);
    });
    return within(ms, what, arrived).finally(() => this.waiters.delete(waiter));
  }
}
