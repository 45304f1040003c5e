// Just enough of the browser's EventSource for Node tests of the UI's HTTP client: it sends the
// page's cookie, reports open, each named event and error, and closes. It does not reconnect by
// itself; a stream that ends counts as closed, as a browser's does after a refusal.
import { createParser } from 'eventsource-parser';
import type { EventSourceLike } from '../../renderer/src/http-gatehouse-api.js';

export class NodeEventSource implements EventSourceLike {
  readyState = 0;
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #abort = new AbortController();

  constructor(url: string, headers: Record<string, string>) {
    void this.#run(url, headers);
  }

  addEventListener(type: string, listener: () => void): void {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type)!.add(listener);
  }

  close(): void {
    this.readyState = 2;
    this.#abort.abort();
  }

  async #run(url: string, headers: Record<string, string>): Promise<void> {
    try {
      const response = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' }, signal: this.#abort.signal });
      if (!response.ok || response.body === null) return this.#fail();
      this.readyState = 1;
      this.#emit('open');
      const parser = createParser({ onEvent: (event) => this.#emit(event.event ?? 'message') });
      for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) parser.feed(chunk);
      this.#fail();
    } catch {
      this.#fail();
    }
  }

  #fail(): void {
    if (this.readyState === 2) return;
    this.readyState = 2;
    this.#emit('error');
  }

  #emit(type: string): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) listener();
  }
}
