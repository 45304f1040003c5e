// Reading a text/event-stream response in a test: each event goes to `onEvent` as it arrives,
// until `stop()` cancels the stream (and waits for the reading to end).
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export function followEventStream(response: Response, onEvent: (event: EventSourceMessage) => void): { stop(): Promise<void> } {
  const parser = createParser({ onEvent });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const pump = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  })();
  return {
    async stop() {
      await reader.cancel();
      await pump;
    },
  };
}
