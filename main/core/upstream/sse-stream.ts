import { finished, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { toMessage, type JsonRpcMessage } from '../mcp/jsonrpc.js';

/**
 * Reads a text/event-stream body, handing each event to onEvent. Resolves when the stream ends and
 * rejects if it breaks off. Plain listeners rather than `for await`: an async iterator per response
 * costs more than parsing a small event, and this runs for every upstream answer.
 */
export function readEventStream(body: Readable, onEvent: (event: EventSourceMessage) => void, onRetry?: (ms: number) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const parser = createParser({ onEvent, onRetry });
    // undici's body ignores setEncoding; this decoder keeps a character split across chunks whole.
    const decoder = new StringDecoder('utf8');
    body.on('data', (chunk: Buffer | string) => {
      try {
        parser.feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      } catch (error) {
        body.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    finished(body, (error) => {
      if (error) return reject(error);
      try {
        parser.feed(decoder.end());
        resolve();
      } catch (failure) {
        reject(failure instanceof Error ? failure : new Error(String(failure)));
      }
    });
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
