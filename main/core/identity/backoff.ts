// When the IdP cannot be reached, wait before trying again: exponential, capped, with jitter so a
// fleet of laptops coming back online does not hit the IdP in step. Time comes from the injected
// clock, so tests move through it without sleeping.
import type { Clock } from '../ports/clock.js';

export interface BackoffOptions {
  readonly clock: Clock;
  readonly baseMs?: number;
  readonly maxMs?: number;
  /** Returns [0, 1); injectable for deterministic tests. */
  readonly random?: () => number;
}

export class Backoff {
  #failures = 0;
  #notBefore = 0;
  #lastDelay = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** Epoch ms before which no new attempt should be made; 0 when none is pending. */
  get notBefore(): number {
    return this.#notBefore;
  }

  get failures(): number {
    return this.#failures;
  }

  /** True while a new attempt should wait. A clock set back (a user fixing a wrong time) does not
   *  make the wait longer than the delay that was chosen. */
  waiting(): boolean {
    const remaining = this.#notBefore - this.options.clock.now();
    return remaining > 0 && remaining <= this.#lastDelay;
  }

  /** Records a failed attempt and returns the delay chosen before the next one. */
  failed(): number {
    this.#failures++;
    const base = this.options.baseMs ?? 1_000;
    const ceiling = Math.min(this.options.maxMs ?? 300_000, base * 2 ** Math.min(this.#failures - 1, 30));
    // "Equal jitter": at least half the step, so retries still spread out but never bunch at zero.
    const delay = Math.round(ceiling / 2 + (this.options.random ?? Math.random)() * (ceiling / 2));
    this.#notBefore = this.options.clock.now() + delay;
    this.#lastDelay = delay;
    return delay;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#notBefore = 0;
  }
}
