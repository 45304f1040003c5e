// A Clock that moves only when the test says so: timers fire in order as advance() passes them.
import type { Clock } from '../../main/core/ports/clock.js';

export class ManualClock implements Clock {
  #now: number;
  #timers: Array<{ at: number; fn: () => void; id: number }> = [];
  #nextId = 0;

  constructor(start = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const id = this.#nextId++;
    this.#timers.push({ at: this.#now + ms, fn, id });
    return { cancel: () => void (this.#timers = this.#timers.filter((t) => t.id !== id)) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t.id !== due.id);
      this.#now = due.at;
      due.fn();
    }
    this.#now = target;
  }

  /** Sets the time, backwards too (a clock being corrected). Fires timers now due. */
  set(epochMs: number): void {
    if (epochMs >= this.#now) this.advance(epochMs - this.#now);
    else this.#now = epochMs;
  }
}
