// The client side of MCP's Streamable HTTP transport, written on undici rather than the SDK's
// transport so that every server message is attributed to the request whose stream carried it:
// that is how an elicitation or a progress notification finds its way back to the one IDE request
// that caused it.
import type { Dispatcher } from 'undici';
import { GatehouseError } from '../../../common/errors.js';
import type { EventSourceMessage } from 'eventsource-parser';
import { eventReader, parseEventData, readEventStream } from './sse-stream.js';
import { UpstreamHttpError, type RequestOptions, type UpstreamTransport } from './upstream-transport.js';
import { idKey, isResponseTo, toMessage, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse } from '../mcp/jsonrpc.js';
import type { Logger } from '../ports/logger.js';
import type { UpstreamCredentials } from '../identity/upstream-credentials.js';
import { authorizedRequest } from './authorized-request.js';
import type { Abortable, UpstreamReply } from './upstream-exchange.js';

export interface StreamableHttpOptions {
  url: URL;
  dispatcher: Dispatcher;
  /** The user's token for this server, added to every request. */
  credentials: UpstreamCredentials;
  logger: Logger;
  serverId: string;
  /** How long to wait before re-opening the standing GET stream after it drops. */
  reconnectMs?: number;
}

const ACCEPT_BOTH = 'application/json, text/event-stream';
const MAX_ERROR_BODY = 4096;

export class StreamableHttpTransport implements UpstreamTransport {
  readonly kind = 'streamable-http' as const;
  private sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private readonly closing = new AbortController();
  /** In-flight exchanges, aborted together on close (cheaper than linking signals per request). */
  private readonly inflight = new Set<Abortable>();
  private listening = false;

  constructor(private readonly options: StreamableHttpOptions) {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.sessionId) h['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion) h['mcp-protocol-version'] = this.protocolVersion;
    return h;
  }

  /** One request, aborted by `signal` or when the transport closes. */
  private http(signal: AbortSignal, request: Dispatcher.DispatchOptions): Promise<UpstreamReply> {
    const { dispatcher, credentials, serverId } = this.options;
    return authorizedRequest({ dispatcher, credentials, serverId, signal, inflight: this.inflight }, request);
  }

  private async post(message: JsonRpcMessage, signal: AbortSignal): Promise<UpstreamReply> {
    const { url } = this.options;
    const res = await this.http(signal, {
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json', accept: ACCEPT_BOTH }),
      body: JSON.stringify(message),
    });
    if (res.statusCode === 404 && this.sessionId) {
      await res.dump();
      throw new UpstreamHttpError(404, '', true);
    }
    if (res.statusCode >= 300) {
      const text = (await res.text()).slice(0, MAX_ERROR_BODY);
      // Some servers answer 400 "no valid session" instead of 404 for a session they forgot.
      const expired = res.statusCode === 400 && !!this.sessionId && /session/i.test(text);
      throw new UpstreamHttpError(res.statusCode, text, expired);
    }
    const sid = res.header('mcp-session-id');
    if (sid && !this.sessionId) this.sessionId = sid;
    return res;
  }

  async request(message: JsonRpcRequest, options: RequestOptions): Promise<JsonRpcResponse> {
    const res = await this.post(message, options.signal);
    const type = res.header('content-type') ?? '';
    const wanted = idKey(message.id);
    if (type.startsWith('text/event-stream')) return this.readResponseStream(res, wanted, options, true);
    if (res.statusCode === 202) {
      await res.dump();
      throw new UpstreamHttpError(502, 'the upstream accepted a request without answering it');
    }
    const body: unknown = await res.json();
    let response: JsonRpcResponse | undefined;
    for (const item of Array.isArray(body) ? body : [body]) {
      const m = toMessage(item);
      if (!m.ok) continue;
      if (isResponseTo(m.message, wanted)) response = m.message;
      else options.onRelated(m.message);
    }
    if (!response) throw new UpstreamHttpError(502, 'the upstream answered without a response to the request');
    return response;
  }

  /**
   * Resolves as soon as the response event arrives: the server closes the stream right after, and
   * waiting for that would add a round of latency to every call. The rest is still read, so the
   * connection goes back to the pool.
   */
  private readResponseStream(res: UpstreamReply, wanted: string, options: RequestOptions, mayResume: boolean): Promise<JsonRpcResponse> {
    return new Promise<JsonRpcResponse>((resolve, reject) => {
      let answered = false;
      let lastEventId: string | undefined;
      const onEvent = (event: EventSourceMessage): void => {
        if (answered) return; // the stream ends with the response; nothing after it is for us
        if (event.id) lastEventId = event.id;
        const m = parseEventData(event.data);
        if (!m) return;
        if (isResponseTo(m, wanted)) {
          answered = true;
          resolve(m);
        } else {
          options.onRelated(m);
        }
      };
      const onEnd = (error?: Error): void => {
        if (answered) return;
        if (error) return reject(error);
        // A stream that ended early is picked up again where it stopped (the spec's resumability).
        if (mayResume && lastEventId) {
          this.get(options.signal, lastEventId).then((again) => {
            if (!again) return reject(new UpstreamHttpError(502, 'the upstream closed the response stream before answering'));
            this.readResponseStream(again, wanted, options, false).then(resolve, reject);
          }, reject);
        } else {
          reject(new UpstreamHttpError(502, 'the upstream closed the response stream before answering'));
        }
      };
      res.read(eventReader(onEvent, onEnd));
    });
  }

  async send(message: JsonRpcNotification | JsonRpcResponse): Promise<void> {
    const res = await this.post(message, this.closing.signal);
    await res.dump();
  }

  private async get(signal: AbortSignal, lastEventId?: string): Promise<UpstreamReply | undefined> {
    const { url } = this.options;
    const extra: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId) extra['last-event-id'] = lastEventId;
    const res = await this.http(signal, {
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'GET',
      headers: this.headers(extra),
    });
    if (res.statusCode !== 200 || !(res.header('content-type') ?? '').startsWith('text/event-stream')) {
      await res.dump();
      if (res.statusCode === 405) return undefined;
      throw new UpstreamHttpError(res.statusCode, '', res.statusCode === 404);
    }
    return res;
  }

  listen(onMessage: (message: JsonRpcMessage) => void, onLost: (error: Error) => void): void {
    if (this.listening) return;
    this.listening = true;
    void this.listenLoop(onMessage, onLost);
  }

  private async listenLoop(onMessage: (message: JsonRpcMessage) => void, onLost: (error: Error) => void): Promise<void> {
    let lastEventId: string | undefined;
    let retryMs = this.options.reconnectMs ?? 1000;
    while (!this.closing.signal.aborted) {
      try {
        const res = await this.get(this.closing.signal, lastEventId);
        if (!res) return; // the server offers no standing stream: fine, it will use request streams
        await readEventStream(
          res,
          (event) => {
            if (event.id) lastEventId = event.id;
            const m = parseEventData(event.data);
            if (m) onMessage(m);
          },
          (ms) => (retryMs = ms),
        );
      } catch (error) {
        if (this.closing.signal.aborted) return;
        // An HTTP refusal, or no token to be had (signed out, consent needed): retrying every second
        // would not help; the session reconnects with backoff, or at once after a sign-in.
        if (error instanceof UpstreamHttpError || error instanceof GatehouseError) {
          onLost(error);
          return;
        }
        this.options.logger.log('debug', 'upstream event stream dropped', { server: this.options.serverId });
      }
      if (this.closing.signal.aborted) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, retryMs);
        t.unref();
        this.closing.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
      });
    }
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    for (const c of [...this.inflight]) c.abort(new Error('upstream transport closed'));
    this.inflight.clear();
    if (!this.sessionId) return;
    const { url } = this.options;
    try {
      const signal = AbortSignal.timeout(2000);
      const res = await this.http(signal, { origin: url.origin, path: url.pathname + url.search, method: 'DELETE', headers: this.headers({}) });
      await res.dump();
    } catch {
      // Ending a session is a courtesy; the server expires it anyway.
    }
  }
}
