// Who is watching which topic of the UI, and telling them when it changed. A burst of changes (a
// busy agent writes many audit events a second) reaches each listener as one call at the start and
// at most one more per interval, so open views re-read their state at a bounded rate.
import { UI_TOPICS, type UiTopic } from '../../../common/ui-api.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';

interface TopicState {
  readonly listeners: Set<() => void>;
  /** When listeners were last told. */
  last: number | undefined;
  /** A call to tell them again, pending until the interval has passed. */
  trailing: { cancel(): void } | undefined;
}

export class UiTopics {
  readonly #topics = new Map<UiTopic, TopicState>(UI_TOPICS.map((topic) => [topic, { listeners: new Set(), last: undefined, trailing: undefined }]));
  #closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  subscribe(topic: UiTopic, listener: () => void): () => void {
    const state = this.#topics.get(topic);
    if (state === undefined || this.#closed) return () => undefined;
    // Each subscription is its own entry, so subscribing one function twice needs two unsubscribes.
    const entry = () => listener();
    state.listeners.add(entry);
    return () => void state.listeners.delete(entry);
  }

  watched(topic: UiTopic): boolean {
    return (this.#topics.get(topic)?.listeners.size ?? 0) > 0;
  }

  /** `topic` changed: tell its listeners now, or once the interval since the last time has passed. */
  publish(topic: UiTopic): void {
    const state = this.#topics.get(topic);
    if (state === undefined || this.#closed || state.trailing !== undefined || state.listeners.size === 0) return;
    const wait = state.last === undefined ? 0 : state.last + this.intervalMs - this.clock.now();
    if (wait <= 0) return this.#tell(topic, state);
    state.trailing = this.clock.setTimeout(() => {
      state.trailing = undefined;
      this.#tell(topic, state);
    }, wait);
  }

  close(): void {
    this.#closed = true;
    for (const state of this.#topics.values()) {
      state.trailing?.cancel();
      state.trailing = undefined;
      state.listeners.clear();
    }
  }

  #tell(topic: UiTopic, state: TopicState): void {
    state.last = this.clock.now();
    for (const listener of [...state.listeners]) {
      try {
        listener();
      } catch (error) {
        this.logger.log('warn', 'a UI topic listener failed', { topic, error: String(error) });
      }
    }
  }
}
