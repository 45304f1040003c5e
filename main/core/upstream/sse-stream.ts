import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { toMessage, type JsonRpcMessage } from '../mcp/jsonrpc.js';

/** Reads a text/event-stream body, handing each event to onEvent. Resolves when the stream ends. */
export async function readEventStream(
  body: AsyncIterable<Uint8Array | string>,
  onEvent: (event: EventSourceMessage) => void,
  onRetry?: (ms: number) => void,
): Promise<void> {
  const parser = createParser({ onEvent, onRetry });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  parser.feed(decoder.decode());
}

/** One event's data as a JSON-RPC message; anything else a server sends on the stream is skipped. */
export function parseEventData(data: string): JsonRpcMessage | undefined {
  if (!data) return undefined;
  try {
    const m = toMessage(JSON.parse(data));
    return m.ok ? m.message : undefined;
  } catch {
    return undefined;
  }
}
