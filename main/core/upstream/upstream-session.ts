// One MCP session with one upstream server, opened on behalf of one downstream client session and
// declaring that client's own capabilities, so that what the server offers and asks for is what it
// would offer and ask that client directly.
import { asParams, isNotification, isResponse, type JsonRpcMessage, type JsonRpcResponse, type Params } from '../mcp/jsonrpc.js';
import { UpstreamHttpError, type UpstreamTransport } from './upstream-transport.js';
import type { Logger } from '../ports/logger.js';
import { GatehouseError } from '../../../common/errors.js';
import { isToolDefinition, type ToolDefinition } from '../guard/pinning/tool-hash.js';

export interface ClientIdentity {
  protocolVersion: string;
  capabilities: Params;
  clientInfo: Params;
  /** Capabilities Gatehouse itself provides and declares upstream whatever the client has (elicitation it shows). */
  gatehouseCapabilities?: Params;
}

export interface InitializeResult {
  protocolVersion: string;
  capabilities: Params;
  serverInfo: Params;
  instructions?: string;
  raw: Params;
}

export type UpstreamState = 'idle' | 'connecting' | 'ready' | 'down' | 'closed';

export interface UpstreamSessionEvents {
  /** A message from the server that belongs to no request we forwarded. */
  onUnrelated(message: JsonRpcMessage): void;
  onStateChange(state: UpstreamState, error?: Error): void;
}

export interface CallOptions {
  onRelated(message: JsonRpcMessage): void;
  signal?: AbortSignal;
  /** Idle timeout (default: the server's policy): any message about the call resets it; paused while the user is being asked. */
  idleTimeoutMs?: number;
}

export interface PendingCall {
  readonly upstreamId: number;
  readonly response: Promise<JsonRpcResponse>;
  cancel(reason: string): void;
  pause(): void;
  resume(): void;
}

interface CallState {
  onRelated(message: JsonRpcMessage): void;
  progressToken?: { upstream: string; downstream: string | number };
  touch(): void;
}

export interface UpstreamSessionOptions {
  serverId: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Transports to try in order on the first connect; the one that works is kept. */
  transports: ReadonlyArray<UpstreamTransport['kind']>;
  createTransport(kind: UpstreamTransport['kind']): UpstreamTransport;
  client: ClientIdentity;
  logger: Logger;
  events: UpstreamSessionEvents;
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
const IGNORE_RELATED = (): void => {};

export class UpstreamSession {
  state: UpstreamState = 'idle';
  initialize: InitializeResult | undefined;
  lastError: Error | undefined;
  private transport: UpstreamTransport | undefined;
  private nextId = 0;
  private readonly byProgressToken = new Map<string, CallState>();
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  /** Server-side state we re-apply after a transparent re-initialisation. */
  private readonly subscriptions = new Set<string>();
  /** Tool definitions as last listed; emptied when the server says its list changed. */
  private readonly tools = new Map<string, ToolDefinition>();
  private toolsListed = false;
  private logLevel: string | undefined;
  private workingKind: UpstreamTransport['kind'] | undefined;

  constructor(private readonly options: UpstreamSessionOptions) {}

  get serverId(): string {
    return this.options.serverId;
  }

  /** Connects (or reconnects); concurrent callers share one attempt. */
  connect(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(new GatehouseError('GATEHOUSE_SERVER_UNAVAILABLE', 'the session is closed'));
    this.connecting ??= this.handshake().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async handshake(): Promise<void> {
    this.setState('connecting');
    const kinds = this.workingKind ? [this.workingKind] : this.options.transports;
    for (let i = 0; ; i++) {
      try {
        return await this.handshakeWith(kinds[i]!);
      } catch (error) {
        // A 4xx to the initialize POST means an old server: try the next transport (the spec's fallback).
        const fallback = error instanceof UpstreamHttpError && [400, 404, 405].includes(error.status) && i + 1 < kinds.length;
        if (!fallback) {
          const e = error instanceof Error ? error : new Error(String(error));
          this.markDown(e.name === 'TimeoutError' ? new GatehouseError('GATEHOUSE_UPSTREAM_TIMEOUT', `no answer to initialize within ${this.options.connectTimeoutMs} ms`) : e);
          throw this.lastError;
        }
        this.options.logger.log('info', `server '${this.serverId}' does not speak Streamable HTTP; trying the HTTP+SSE transport`, { server: this.serverId });
      }
    }
  }

  private async handshakeWith(kind: UpstreamTransport['kind']): Promise<void> {
    const transport = this.options.createTransport(kind);
    const { client } = this.options;
    const id = ++this.nextId;
    const signal = AbortSignal.timeout(this.options.connectTimeoutMs);
    try {
      const response = await transport.request(
        { jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: client.protocolVersion, capabilities: { ...client.capabilities, ...client.gatehouseCapabilities }, clientInfo: client.clientInfo } },
        { onRelated: () => {}, signal },
      );
      if ('error' in response) throw new GatehouseError('GATEHOUSE_UPSTREAM_ERROR', `initialize was refused: ${response.error.message}`);
      const r = response.result;
      this.initialize = {
        protocolVersion: String(r['protocolVersion'] ?? client.protocolVersion),
        capabilities: asParams(r['capabilities']),
        serverInfo: asParams(r['serverInfo']),
        ...(typeof r['instructions'] === 'string' ? { instructions: r['instructions'] } : {}),
        raw: r,
      };
      transport.setProtocolVersion(this.initialize.protocolVersion);
      await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      const previous = this.transport;
      this.transport = transport;
      void previous?.close();
      transport.listen((m) => this.onStreamMessage(m), (error) => this.markDown(error));
      this.reconnectDelay = RECONNECT_MIN_MS;
      this.workingKind = kind;
      this.setState('ready');
      await this.reapplyState();
    } catch (error) {
      void transport.close();
      throw error;
    }
  }

  private async reapplyState(): Promise<void> {
    const replays: Array<[string, Params]> = [];
    if (this.logLevel) replays.push(['logging/setLevel', { level: this.logLevel }]);
    for (const uri of this.subscriptions) replays.push(['resources/subscribe', { uri }]);
    for (const [method, params] of replays) {
      await this.call(method, params, { onRelated: () => {} }).response.catch(() => undefined);
    }
  }

  private setState(state: UpstreamState, error?: Error): void {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    this.options.events.onStateChange(state, error);
  }

  /** Down only for want of the user's token (or a configuration that cannot produce one). */
  get waitsForAuth(): boolean {
    return this.state === 'down' && isAuthError(this.lastError);
  }

  /** A server that was down only for want of the user's token reconnects at once after a sign-in. */
  retryNowIfWaitingForAuth(): void {
    if (this.state !== 'down' || !isAuthError(this.lastError)) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.reconnectDelay = RECONNECT_MIN_MS;
    this.connect().catch(() => undefined);
  }

  /** Marks the server down and schedules a reconnect with exponential backoff and jitter. */
  markDown(error: Error): void {
    if (this.state === 'closed') return;
    this.lastError = error;
    this.setState('down', error);
    if (this.reconnectTimer) return;
    const delay = this.reconnectDelay * (0.8 + Math.random() * 0.4);
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().catch(() => undefined);
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Sends a request upstream. The session re-initialises once, transparently, if the server forgot it. */
  call(method: string, params: Params | undefined, options: CallOptions): PendingCall {
    const id = ++this.nextId;
    const abort = new AbortController();
    const idleMs = options.idleTimeoutMs ?? this.options.requestTimeoutMs;
    let paused = 0;
    const onIdle = () => abort.abort(new GatehouseError('GATEHOUSE_UPSTREAM_TIMEOUT', `'${this.serverId}' sent nothing about this request for ${idleMs / 1000} s; try again, or ask your admin to raise timeouts.requestMs`));
    let timer = setTimeout(onIdle, idleMs);
    timer.unref();
    // One timer per call, restarted (not recreated) by each message about it.
    const arm = () => {
      if (paused === 0) timer.refresh();
    };
    const state: CallState = { onRelated: options.onRelated, touch: arm };
    let outgoing = params;
    const token = (params?.['_meta'] as Params | undefined)?.['progressToken'];
    if (typeof token === 'string' || typeof token === 'number') {
      // Our own token upstream: two servers can never collide on one the client chose.
      state.progressToken = { upstream: `gh-${id}`, downstream: token };
      outgoing = { ...params, _meta: { ...(params!['_meta'] as Params), progressToken: state.progressToken.upstream } };
      this.byProgressToken.set(state.progressToken.upstream, state);
    }
    if (options.signal) {
      if (options.signal.aborted) abort.abort(options.signal.reason);
      else options.signal.addEventListener('abort', () => abort.abort(options.signal!.reason), { once: true });
    }

    const response = this.exchange(id, method, params, outgoing, state, abort.signal, () => clearTimeout(timer));
    return {
      upstreamId: id,
      response,
      cancel: (reason) => abort.abort(new GatehouseError('GATEHOUSE_UPSTREAM_ERROR', reason)),
      pause: () => { paused++; clearTimeout(timer); },
      resume: () => {
        paused = Math.max(0, paused - 1);
        if (paused > 0) return;
        clearTimeout(timer);
        timer = setTimeout(onIdle, idleMs);
        timer.unref();
      },
    };
  }

  /**
   * The tool as this server last listed it, for the guard (annotations, the pinned hash). A tool the
   * session never listed costs one listing, once; the common path finds it in memory.
   */
  describeTool(name: string): ToolDefinition | undefined | Promise<ToolDefinition | undefined> {
    const known = this.tools.get(name);
    if (known !== undefined || this.toolsListed) return known;
    return this.listAllTools().then(() => this.tools.get(name));
  }

  private async listAllTools(): Promise<void> {
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const response = await this.call('tools/list', cursor ? { cursor } : undefined, { onRelated: () => {} }).response;
      if ('error' in response) return;
      const next = response.result['nextCursor'];
      if (typeof next !== 'string' || !next) return;
      cursor = next;
    }
  }

  private learnTools(params: Params | undefined, result: Params): void {
    const tools = result['tools'];
    if (!Array.isArray(tools)) return;
    if (params?.['cursor'] === undefined) this.toolsListed = true;
    for (const tool of tools) if (isToolDefinition(tool)) this.tools.set(tool.name, tool);
  }

  /** Server-side state the server accepted, re-applied after a re-initialisation. */
  private remember(method: string, params: Params | undefined): void {
    if (method === 'resources/subscribe' && typeof params?.['uri'] === 'string') this.subscriptions.add(params['uri']);
    if (method === 'resources/unsubscribe' && typeof params?.['uri'] === 'string') this.subscriptions.delete(params['uri']);
    if (method === 'logging/setLevel' && typeof params?.['level'] === 'string') this.logLevel = params['level'];
  }

  /** One call's whole life upstream: sent, re-sent once after a transparent re-initialisation, answered. */
  private async exchange(id: number, method: string, params: Params | undefined, outgoing: Params | undefined, state: CallState, signal: AbortSignal, stopTimer: () => void): Promise<JsonRpcResponse> {
    try {
      let response: JsonRpcResponse;
      try {
        response = await this.send(id, method, outgoing, state, signal);
      } catch (error) {
        if (!(error instanceof UpstreamHttpError && error.sessionExpired && !signal.aborted)) throw error;
        this.options.logger.log('info', 'upstream session expired; re-initialising', { server: this.serverId });
        this.state = 'down';
        await this.connect();
        response = await this.send(id, method, outgoing, state, signal);
      }
      if (!('error' in response)) {
        this.remember(method, params);
        if (method === 'tools/list') this.learnTools(params, response.result);
      }
      return response;
    } catch (error) {
      if (signal.aborted) {
        this.transport?.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'cancelled by Gatehouse' } }).catch(() => undefined);
        throw signal.reason instanceof Error ? signal.reason : error;
      }
      // Our own "not connected" refusal says nothing new about the server: marking it down again would
      // nest that message into lastError (and so into every later refusal) and flap a reconnect in progress.
      const refusedLocally = error instanceof GatehouseError && error.code === 'GATEHOUSE_SERVER_UNAVAILABLE';
      if (!refusedLocally && (!(error instanceof UpstreamHttpError) || error.status >= 500)) this.markDown(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      stopTimer();
      if (state.progressToken) {
        this.byProgressToken.delete(state.progressToken.upstream);
        // The map's outgrown tables keep their entries until V8's next full collection: a finished
        // call's state must not keep the client's request alive from there.
        state.onRelated = IGNORE_RELATED;
        state.touch = IGNORE_RELATED;
      }
    }
  }

  private send(id: number, method: string, params: Params | undefined, state: CallState, signal: AbortSignal): Promise<JsonRpcResponse> {
    const transport = this.transport;
    if (this.state !== 'ready' || !transport) {
      // Not connected for want of a token: say that (sign in, consent), not that the server is down.
      if (isAuthError(this.lastError)) throw new GatehouseError(this.lastError.code, this.lastError.message);
      throw new GatehouseError('GATEHOUSE_SERVER_UNAVAILABLE', `server '${this.serverId}' is not connected${this.lastError ? ` (${this.lastError.message})` : ''}; Gatehouse keeps reconnecting in the background, try again shortly`);
    }
    const message = params === undefined ? { jsonrpc: '2.0' as const, id, method } : { jsonrpc: '2.0' as const, id, method, params };
    return transport.request(message, { signal, onRelated: (m) => this.related(m, state) });
  }

  private related(message: JsonRpcMessage, state: CallState): void {
    state.touch();
    state.onRelated(this.restoreProgressToken(message, state));
  }

  private restoreProgressToken(message: JsonRpcMessage, state: CallState): JsonRpcMessage {
    if (!isNotification(message) || message.method !== 'notifications/progress' || !state.progressToken) return message;
    return { ...message, params: { ...message.params, progressToken: state.progressToken.downstream } };
  }

  /** Messages from the standing stream: progress is still routed to the call it is about. */
  private onStreamMessage(message: JsonRpcMessage): void {
    if (isNotification(message) && message.method === 'notifications/tools/list_changed') {
      this.tools.clear();
      this.toolsListed = false;
    }
    if (isNotification(message) && message.method === 'notifications/progress') {
      const state = this.byProgressToken.get(String(message.params?.['progressToken']));
      if (state) return this.related(message, state);
    }
    if (isResponse(message)) return; // a response to nothing we are waiting for
    this.options.events.onUnrelated(message);
  }

  async notify(method: string, params?: Params): Promise<void> {
    if (this.state !== 'ready' || !this.transport) return;
    await this.transport.send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  /** Answers a request the server sent us (elicitation, sampling, roots, ping). */
  async respond(response: JsonRpcResponse): Promise<void> {
    if (!this.transport) throw new GatehouseError('GATEHOUSE_SERVER_UNAVAILABLE', `server '${this.serverId}' is not connected`);
    await this.transport.send(response);
  }

  async close(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.state = 'closed';
    const t = this.transport;
    this.transport = undefined;
    await t?.close();
  }
}

// Why a server is not connected when it is for want of the user's token (or a configuration that
// cannot produce one): the refusal names that, rather than a server that seems to be down.
const AUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'GATEHOUSE_SIGN_IN_REQUIRED',
  'GATEHOUSE_UPSTREAM_CONSENT_REQUIRED',
  'GATEHOUSE_UPSTREAM_AUTH_FAILED',
  'GATEHOUSE_IDP_UNREACHABLE',
  'GATEHOUSE_IDENTITY_NOT_CONFIGURED',
  'GATEHOUSE_UNSAFE_URL',
]);

function isAuthError(error: Error | undefined): error is GatehouseError {
  return error instanceof GatehouseError && AUTH_ERROR_CODES.has(error.code);
}
