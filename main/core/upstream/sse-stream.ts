import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { toMessage, type JsonRpcMessage } from '../mcp/jsonrpc.js';
import type { BodyReader, UpstreamReply } from './upstream-exchange.js';

/**
 * A body reader that parses text/event-stream, handing each event to onEvent, then calls onEnd
 * once: with the error that cut the stream short, or with none when it ended. An onEvent that
 * throws ends the exchange with its error. Chunks are parsed as they arrive: this runs for every
 * upstream answer.
 */
export function eventReader(onEvent: (event: EventSourceMessage) => void, onEnd: (error?: Error) => void, onRetry?: (ms: number) => void): BodyReader {
  const parser = createParser(onRetry ? { onEvent, onRetry } : { onEvent });
  // This decoder keeps a character split across chunks whole.
  const decoder = new StringDecoder('utf8');
  return {
    data: (chunk) => parser.feed(decoder.write(chunk)),
    end: (error) => {
      if (error) return onEnd(error);
      try {
        parser.feed(decoder.end());
      } catch (failure) {
        return onEnd(failure instanceof Error ? failure : new Error(String(failure)));
      }
      onEnd();
    },
  };
}

/** Reads a whole text/event-stream body; resolves when it ends, rejects if it breaks off. */
export function readEventStream(reply: UpstreamReply, onEvent: (event: EventSourceMessage) => void, onRetry?: (ms: number) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    reply.read(eventReader(onEvent, (error) => (error ? reject(error) : resolve()), onRetry));
  });
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
