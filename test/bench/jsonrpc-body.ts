// Finds the JSON-RPC response to one request in a Streamable HTTP response body, which is either
// a single JSON message (application/json) or an SSE stream (text/event-stream) whose `data:`
// lines carry messages, possibly notifications or priming events before the one we want.
// Narrowing is by hand, not zod: this runs once per call on the load client, whose CPU the
// servers under test compete for on a small machine.
import { createParser } from 'eventsource-parser';

export interface JsonRpcResponse {
  id: number | string;
  result?: unknown;
  error?: { code: number; message: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asResponse(message: unknown): JsonRpcResponse | undefined {
  if (!isRecord(message) || message.jsonrpc !== '2.0' || 'method' in message) return undefined;
  const { id, result, error } = message;
  if (typeof id !== 'number' && typeof id !== 'string') return undefined;
  if (error !== undefined) {
    if (!isRecord(error) || typeof error.code !== 'number' || typeof error.message !== 'string') return undefined;
    return { id, error: { code: error.code, message: error.message } };
  }
  return { id, result };
}

function messagesOfSse(body: string): unknown[] {
  const messages: unknown[] = [];
  const parser = createParser({
    onEvent: (event) => {
      // Priming events (resumability) carry an id and empty data; they are not messages.
      if (event.data.trim() === '') return;
      messages.push(JSON.parse(event.data));
    },
  });
  parser.feed(body);
  // A stream may end without the blank line after its last event; one more newline pair flushes it.
  parser.feed('\n\n');
  return messages;
}

/** The response whose id is `id`, or an Error saying what came instead. */
export function findResponse(body: string, contentType: string, id: number | string): JsonRpcResponse {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  let messages: unknown[];
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(body);
    messages = Array.isArray(parsed) ? parsed : [parsed];
  } else if (type === 'text/event-stream') {
    messages = messagesOfSse(body);
  } else {
    throw new Error(`unexpected content-type ${JSON.stringify(contentType)}`);
  }
  for (const message of messages) {
    const response = asResponse(message);
    if (response?.id === id) return response;
  }
  throw new Error(`no response with id ${JSON.stringify(id)} among ${messages.length} message(s): ${body.slice(0, 200)}`);
}

/** The text of the first content block of a tools/call result, or an Error describing it. */
export function toolResultText(result: unknown): string {
  if (!isRecord(result)) throw new Error('tools/call result is not an object');
  if (result.isError === true) throw new Error(`tool returned isError: ${JSON.stringify(result).slice(0, 200)}`);
  const content = result.content;
  if (!Array.isArray(content) || content.length === 0) throw new Error('tools/call result has no content');
  const first: unknown = content[0];
  if (!isRecord(first) || first.type !== 'text' || typeof first.text !== 'string') {
    throw new Error(`first content block is not text: ${JSON.stringify(first).slice(0, 200)}`);
  }
  return first.text;
}
