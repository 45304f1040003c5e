// The HTTP+SSE transport of protocol 2024-11-05, for servers that never moved to Streamable HTTP:
// one GET event stream carries everything the server says; the first event names the URL that
// takes our POSTs. Nothing on the stream says which request a message is about, so only responses
// are matched (by id) and everything else goes to the session as unrelated.
import type { Dispatcher } from 'undici';
import { parseEventData, readEventStream } from './sse-stream.js';
import { UpstreamHttpError, type RequestOptions, type UpstreamTransport } from './upstream-transport.js';
import { idKey, isResponse, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse } from '../mcp/jsonrpc.js';
import type { Logger } from '../ports/logger.js';
import type { UpstreamCredentials } from '../identity/upstream-credentials.js';
import { authorizedRequest } from './authorized-request.js';
import type { UpstreamReply } from './upstream-exchange.js';

export interface LegacySseOptions {
  url: URL;
  dispatcher: Dispatcher;
  /** The user's token for this server, added to every request. */
  credentials: UpstreamCredentials;
  logger: Logger;
  serverId: string;
}

export class LegacySseTransport implements UpstreamTransport {
  readonly kind = 'sse' as const;
  private readonly closing = new AbortController();
  private postUrl: URL | undefined;
  private opened: Promise<void> | undefined;
  private readonly waiting = new Map<string, { resolve(r: JsonRpcResponse): void; reject(e: Error): void }>();
  private onUnrelated: (m: JsonRpcMessage) => void = () => {};
  private onLost: (e: Error) => void = () => {};
  private readonly early: JsonRpcMessage[] = [];

  constructor(private readonly options: LegacySseOptions) {}

  setProtocolVersion(): void {
    // The old transport carries no version header.
  }

  private http(signal: AbortSignal, request: Dispatcher.DispatchOptions): Promise<UpstreamReply> {
    const { dispatcher, credentials, serverId } = this.options;
    return authorizedRequest({ dispatcher, credentials, serverId, signal }, request);
  }

  private open(signal: AbortSignal): Promise<void> {
    this.opened ??= new Promise<void>((resolve, reject) => {
      const { url } = this.options;
      const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      this.http(this.closing.signal, { origin: url.origin, path: url.pathname + url.search, method: 'GET', headers: { accept: 'text/event-stream' } })
        .then(async (res) => {
          const type = String(res.headers['content-type'] ?? '');
          if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
            await res.dump();
            throw new UpstreamHttpError(res.statusCode, 'no event stream at this URL');
          }
          await readEventStream(res, (event) => {
            if (event.event === 'endpoint') {
              const target = new URL(event.data, url);
              // The server must not redirect our messages (and upstream tokens) to another origin.
              if (target.origin !== url.origin) return reject(new UpstreamHttpError(502, `the server named a message endpoint on another origin (${target.origin})`));
              this.postUrl = target;
              signal.removeEventListener('abort', onAbort);
              return resolve();
            }
            const m = parseEventData(event.data);
            if (m) this.dispatch(m);
          });
          throw new Error('the event stream ended');
        })
        .catch((error: unknown) => {
          const e = error instanceof Error ? error : new Error(String(error));
          reject(e);
          if (this.closing.signal.aborted) return;
          for (const w of this.waiting.values()) w.reject(e);
          this.waiting.clear();
          this.onLost(e);
        });
    });
    return this.opened;
  }

  private dispatch(m: JsonRpcMessage): void {
    if (isResponse(m) && m.id !== null) {
      const w = this.waiting.get(idKey(m.id));
      if (w) {
        this.waiting.delete(idKey(m.id));
        return w.resolve(m);
      }
      return;
    }
    if (this.listening) this.onUnrelated(m);
    else this.early.push(m);
  }

  private listening = false;

  private async post(message: JsonRpcMessage, signal: AbortSignal): Promise<void> {
    await this.open(signal);
    const target = this.postUrl!;
    const res = await this.http(signal, {
      origin: target.origin,
      path: target.pathname + target.search,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    const text = res.statusCode >= 300 ? await res.text() : (await res.dump(), '');
    if (res.statusCode >= 300) throw new UpstreamHttpError(res.statusCode, text.slice(0, 4096), res.statusCode === 404);
  }

  async request(message: JsonRpcRequest, options: RequestOptions): Promise<JsonRpcResponse> {
    const key = idKey(message.id);
    const answer = new Promise<JsonRpcResponse>((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      options.signal.addEventListener('abort', () => {
        this.waiting.delete(key);
        reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
      }, { once: true });
    });
    try {
      await this.post(message, options.signal);
    } catch (error) {
      this.waiting.delete(key);
      throw error;
    }
    return answer;
  }

  async send(message: JsonRpcNotification | JsonRpcResponse): Promise<void> {
    await this.post(message, this.closing.signal);
  }

  listen(onMessage: (message: JsonRpcMessage) => void, onLost: (error: Error) => void): void {
    this.onUnrelated = onMessage;
    this.onLost = onLost;
    this.listening = true;
    for (const m of this.early.splice(0)) onMessage(m);
  }

  async close(): Promise<void> {
    this.closing.abort();
    for (const w of this.waiting.values()) w.reject(new Error('upstream transport closed'));
    this.waiting.clear();
  }
}
