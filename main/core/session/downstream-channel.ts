// The two ways Gatehouse speaks to an IDE over Streamable HTTP: the answer to one POST, and the
// standing GET stream for messages that belong to no request.
import type { ServerResponse } from 'node:http';
import { isResponse, type JsonRpcMessage } from '../mcp/jsonrpc.js';

export interface DownstreamChannel {
  readonly open: boolean;
  send(message: JsonRpcMessage): void;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive' };

function frame(message: JsonRpcMessage): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

/**
 * The answer to a POST that carried a request. It stays plain JSON when the response comes first
 * (cheapest for the client) and switches to an event stream as soon as anything must be said
 * before the response: progress, a log line, an elicitation. The stream ends with the response.
 */
export class PostChannel implements DownstreamChannel {
  private streaming = false;
  private done = false;

  constructor(private readonly res: ServerResponse, private readonly headers: Record<string, string>) {
    res.on('close', () => (this.done = true));
  }

  get open(): boolean {
    return !this.done && !this.res.destroyed;
  }

  send(message: JsonRpcMessage): void {
    if (!this.open) return;
    const final = isResponse(message);
    if (!this.streaming && final) {
      this.done = true;
      const body = JSON.stringify(message);
      this.res.writeHead(200, { ...this.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      this.res.end(body);
      return;
    }
    if (!this.streaming) {
      this.streaming = true;
      this.res.writeHead(200, { ...this.headers, ...SSE_HEADERS });
      this.res.flushHeaders();
    }
    this.res.write(frame(message));
    if (final) {
      this.done = true;
      this.res.end();
    }
  }
}

/** The standing GET stream of a session. */
export class EventStreamChannel implements DownstreamChannel {
  private closed = false;
  private readonly keepAlive: NodeJS.Timeout;

  constructor(private readonly res: ServerResponse, headers: Record<string, string>) {
    res.writeHead(200, { ...headers, ...SSE_HEADERS });
    res.flushHeaders();
    res.on('close', () => this.close());
    // A comment line now and then keeps proxies and idle timers from cutting a quiet stream.
    this.keepAlive = setInterval(() => this.open && res.write(': keep-alive\n\n'), 25_000);
    this.keepAlive.unref();
  }

  get open(): boolean {
    return !this.closed && !this.res.destroyed;
  }

  send(message: JsonRpcMessage): void {
    if (this.open) this.res.write(frame(message));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.res.end();
  }
}
