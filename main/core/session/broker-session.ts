// One downstream MCP session: an IDE connected as a registered client. It owns one upstream
// session per server it may see, relays everything both ways, and routes what a server says
// back to the one client request that caused it.
import { randomUUID } from 'node:crypto';
import { GatehouseError } from '../../../common/errors.js';
import {
  asParams, errorResponse, GATEHOUSE_REFUSED, gatehouseErrorResponse, idKey, INTERNAL_ERROR, INVALID_PARAMS, isRequest, isResponse, METHOD_NOT_FOUND,
  REQUEST_TIMEOUT, resultResponse, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse, type Params,
} from '../mcp/jsonrpc.js';
import type { Logger } from '../ports/logger.js';
import type { ClientIdentity, PendingCall, UpstreamSession, UpstreamState } from '../upstream/upstream-session.js';
import type { CallGuard } from '../guard/call-guard.js';
import type { GatehouseElicitation } from '../elicitation/gatehouse-elicitation.js';
import { screenAnswer } from '../elicitation/screen-answer.js';
import type { DlpStep } from '../guard/dlp/dlp-step.js';
import type { DownstreamChannel } from './downstream-channel.js';
import { isRouteError, LIST_METHODS, type SessionView } from './session-view.js';
import type { AuditEventInput, AuditStep } from '../../../common/audit-event.js';
import { NO_AUDIT, type AuditRecorder } from '../audit/audit-recorder.js';
import { auditArguments } from '../audit/audit-arguments.js';
import { AuditedChannel } from './call-audit.js';

export interface BrokerSessionOptions {
  clientName: string;
  /** Which endpoint it came in on: undefined for the aggregate `/mcp`. */
  serverId: string | undefined;
  view: SessionView;
  logger: Logger;
  /** Shared with the upstream sessions: what they declare upstream is what the client declared. */
  client: ClientIdentity;
  /** The steps every tool call passes before it is forwarded. */
  guard: CallGuard;
  /** The signed-in user's subject, for per-user limits; undefined without a sign-in. */
  user: () => string | undefined;
  /** Set when policy has Gatehouse show servers' questions itself instead of relaying them. */
  elicitation?: GatehouseElicitation;
  /** Screens answers to elicitation relayed from the IDE before they go upstream. */
  dlp?: DlpStep;
  serverNames?: ReadonlyMap<string, string | undefined>;
  /** Where every call, read and answer is recorded; absent, nothing is. */
  audit?: AuditRecorder;
}

interface InFlight {
  pending: PendingCall;
  cancelled: boolean;
}

interface ServerRequest {
  method: string;
  downstreamId: string;
  upstream: UpstreamSession;
  upstreamId: string | number;
  call: PendingCall | undefined;
  params: Params | undefined;
}

/** What an in-flight entry holds once its call is over. */
const SETTLED_CALL: PendingCall = { upstreamId: -1, response: new Promise<never>(() => {}), cancel: () => {}, pause: () => {}, resume: () => {} };

const MAX_QUEUED = 256;
/** Server-to-client request kinds and the client capability each needs. */
const NEEDS_CAPABILITY: Record<string, string> = { 'elicitation/create': 'elicitation', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };

export class BrokerSession {
  readonly id = randomUUID();
  lastSeen = Date.now();
  private standing: DownstreamChannel | undefined;
  private readonly queued: JsonRpcMessage[] = [];
  private readonly inflight = new Map<string, InFlight>();
  private readonly serverRequests = new Map<string, ServerRequest>();
  private nextServerRequest = 0;
  private closed = false;
  /** What the user allowed for this session, for the guard. */
  private readonly guardMemory = { id: this.id, approvals: new Set<string>() };
  /** Set once the client has been answered initialize; list changes before that are not changes. */
  private initialized = false;

  private readonly audit: AuditRecorder;

  constructor(private readonly options: BrokerSessionOptions) {
    this.audit = options.audit ?? NO_AUDIT;
  }

  /** The fields every event of this session shares. */
  private who(): Pick<AuditEventInput, 'user' | 'client' | 'session'> {
    return { user: this.options.user(), client: this.options.clientName, session: this.id };
  }

  private clientTitle(): string | undefined {
    const clientInfo = this.options.client.clientInfo;
    return typeof clientInfo['title'] === 'string' ? clientInfo['title'] : typeof clientInfo['name'] === 'string' ? clientInfo['name'] : undefined;
  }

  get view(): SessionView {
    return this.options.view;
  }

  get clientName(): string {
    return this.options.clientName;
  }

  get serverId(): string | undefined {
    return this.options.serverId;
  }

  /** Called by the upstream sessions (wired by the session factory). */
  onUpstreamState(upstream: UpstreamSession, state: UpstreamState, error?: Error): void {
    if (state === 'down') {
      // Waiting for the user's token is not an outage: said once where it matters (the sign-in prompt, the refusal).
      if (upstream.waitsForAuth) this.options.logger.log('debug', `server '${upstream.serverId}' waits for the user's token`, { server: upstream.serverId, error: error?.message });
      else this.options.logger.log('warn', `server '${upstream.serverId}' is unavailable; its tools are hidden until it reconnects`, { server: upstream.serverId, error: error?.message });
    }
    // Until the client has its initialize answer it has listed nothing, so there is no change to
    // announce: the server itself sends no list_changed for its own start either.
    if (this.initialized && (state === 'ready' || state === 'down')) {
      const caps = upstream.initialize?.capabilities ?? {};
      if (this.options.serverId === undefined || state === 'ready') {
        if (caps['tools']) this.emit({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
        if (caps['prompts']) this.emit({ jsonrpc: '2.0', method: 'notifications/prompts/list_changed' });
        if (caps['resources']) this.emit({ jsonrpc: '2.0', method: 'notifications/resources/list_changed' });
      }
    }
  }

  /** Who is signed in, or their roles, changed: tool lists differ, and servers waiting for a token may connect. */
  identityChanged(): void {
    if (this.closed) return;
    for (const upstream of this.view.upstreams) upstream.retryNowIfWaitingForAuth();
    if (this.initialized) this.emit({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
  }

  async initialize(request: JsonRpcRequest, protocolVersion: string): Promise<JsonRpcResponse> {
    const p = request.params ?? {};
    Object.assign(this.options.client, { protocolVersion, capabilities: asParams(p['capabilities']), clientInfo: asParams(p['clientInfo']) });
    const results = await Promise.allSettled(this.view.upstreams.map((u) => u.connect()));
    if (this.options.serverId !== undefined && results[0]?.status === 'rejected') {
      const reason = results[0].reason instanceof Error ? results[0].reason.message : String(results[0].reason);
      return gatehouseErrorResponse(request.id, 'GATEHOUSE_SERVER_UNAVAILABLE', `server '${this.options.serverId}' is not reachable (${reason}); Gatehouse retries in the background, connect again shortly`);
    }
    const result = resultResponse(request.id, this.view.initializeResult(protocolVersion));
    this.initialized = true;
    const info = this.options.client.clientInfo;
    void this.audit.record({
      type: 'session.opened',
      ...this.who(),
      decision: 'recorded',
      details: { protocolVersion, clientInfo: { name: info['name'], version: info['version'] }, endpoint: this.options.serverId === undefined ? '/mcp' : `/mcp/${this.options.serverId}` },
    });
    return result;
  }

  attachStandingStream(channel: DownstreamChannel): void {
    this.standing = channel;
    for (const m of this.queued.splice(0)) channel.send(m);
  }

  /** Messages that belong to no open request go on the standing stream, or wait for one. */
  private emit(message: JsonRpcMessage, preferred?: DownstreamChannel): void {
    if (this.closed) return;
    if (preferred?.open) return preferred.send(message);
    if (this.standing?.open) return this.standing.send(message);
    if (this.queued.length >= MAX_QUEUED) this.queued.shift();
    this.queued.push(message);
  }

  async handleRequest(request: JsonRpcRequest, channel: DownstreamChannel): Promise<void> {
    this.lastSeen = Date.now();
    const respond = (m: JsonRpcResponse) => channel.send(m);
    const { method, params } = request;
    try {
      if (method === 'ping') return respond(resultResponse(request.id, {}));
      // On `/mcp/<id>` setLevel is the server's to accept or refuse (it may not log at all), like any request.
      if (method === 'logging/setLevel' && this.options.serverId === undefined) return respond(await this.setLevel(request));
      const kind = LIST_METHODS[method];
      if (kind) return respond(resultResponse(request.id, await this.view.list(kind, method, params)));
      if (this.options.serverId === undefined && !ROUTED.has(method)) {
        return respond(errorResponse(request.id, METHOD_NOT_FOUND, `Method not found: ${method}`));
      }
      const preparing = this.view.prepare?.(method, params);
      if (preparing) await preparing; // only on the rare miss: the common call path stays synchronous
      const route = this.view.route(method, params);
      if (isRouteError(route)) return respond(gatehouseErrorResponse(request.id, route.error.code, route.error.message, INVALID_PARAMS));
      let forwarded = route.params;
      let answerOn = channel;
      if (method === 'tools/call' || method === 'resources/read') {
        const refusal = this.audit.refusal();
        if (refusal) return respond(gatehouseErrorResponse(request.id, refusal.code, refusal.message, GATEHOUSE_REFUSED));
      }
      const started = performance.now();
      let event: AuditEventInput | undefined;
      if (method === 'tools/call') {
        const toolName = String(route.params?.['name']);
        const described = route.upstream.describeTool(toolName);
        const args = route.params?.['arguments'] === undefined ? undefined : asParams(route.params['arguments']);
        const pending = this.options.guard.check({
          clientName: this.options.clientName,
          clientTitle: this.clientTitle(),
          user: this.options.user(),
          serverId: route.upstream.serverId,
          toolName,
          arguments: args,
          tool: described instanceof Promise ? await described : described,
          session: this.guardMemory,
        });
        const decision = pending instanceof Promise ? await pending : pending;
        event = {
          type: 'tool.call',
          ...this.who(),
          server: route.upstream.serverId,
          tool: toolName,
          method,
          decision: !decision.ok ? 'denied' : decision.arguments !== undefined ? 'redacted' : 'allowed',
          ...(decision.steps ? { steps: [...decision.steps] } : {}),
          // Values are kept only once DLP has scanned them (masked where it matched); arguments it blocked
          // or never saw (refused before it) keep only their names.
          // Without an audit trail, hashing the arguments and holding the answer back would be work for nobody.
          ...(this.audit === NO_AUDIT ? {} : auditArguments(this.audit.keeps.arguments, args, decision.maskedArguments ?? (scannedByDlp(decision.steps) ? args : undefined))),
        };
        if (!decision.ok) {
          const refused = { ...event, code: decision.code, reason: decision.message, status: 'refused' as const, latencyMs: elapsed(started) };
          await this.audit.record(refused).catch(() => undefined);
          return respond(gatehouseErrorResponse(request.id, decision.code, decision.message, GATEHOUSE_REFUSED, decision.data));
        }
        if (decision.arguments !== undefined) forwarded = { ...route.params, arguments: decision.arguments };
      } else if (method === 'resources/read') {
        const uri = route.params?.['uri'];
        event = { type: 'resource.read', ...this.who(), server: route.upstream.serverId, method, ...(typeof uri === 'string' ? { resource: uri } : {}), decision: 'allowed' };
      }
      if (event !== undefined && this.audit !== NO_AUDIT) {
        const base = event;
        answerOn = new AuditedChannel(channel, request.id, (outcome) => this.audit.record({ ...base, ...outcome, latencyMs: elapsed(started) }));
      }
      await this.forward(request, route.upstream, forwarded, answerOn);
      if (event !== undefined && answerOn instanceof AuditedChannel && !answerOn.answered) {
        // Cancelled by the client, or the session closed: the call still happened (or began) upstream.
        void this.audit.record({ ...event, status: 'cancelled', latencyMs: elapsed(started) });
      }
    } catch (error) {
      respond(this.errorFor(request, error));
    }
  }

  /** The aggregate declares logging itself, so it checks the level as a server would, then tells every server that logs. */
  private async setLevel(request: JsonRpcRequest): Promise<JsonRpcResponse> {
    const level = request.params?.['level'];
    if (typeof level !== 'string' || !LOG_LEVELS.has(level)) {
      return errorResponse(request.id, INVALID_PARAMS, `Invalid params: level must be one of ${[...LOG_LEVELS].join(', ')}`);
    }
    const targets = this.view.upstreams.filter((u) => u.state === 'ready' && u.initialize?.capabilities['logging']);
    await Promise.all(targets.map((u) => u.call('logging/setLevel', request.params, { onRelated: () => {} }).response.catch(() => undefined)));
    return resultResponse(request.id, {});
  }

  private async forward(request: JsonRpcRequest, upstream: UpstreamSession, params: Params | undefined, channel: DownstreamChannel): Promise<void> {
    const key = idKey(request.id);
    // Related messages arrive only after the request is on the wire, so `call` is set by then.
    const call: PendingCall = upstream.call(request.method, params, {
      onRelated: (m) => this.fromUpstream(upstream, m, channel, call),
    });
    const entry: InFlight = { pending: call, cancelled: false };
    this.inflight.set(key, entry);
    try {
      const response = await call.response;
      if (entry.cancelled) return;
      if ('error' in response) channel.send({ ...response, id: request.id });
      else channel.send(resultResponse(request.id, this.view.mapResult(upstream, request.method, response.result)));
    } catch (error) {
      if (!entry.cancelled) channel.send(this.errorFor(request, error, upstream));
    } finally {
      this.inflight.delete(key);
      // V8 keeps a map's outgrown tables, entries included, until its next full collection: an
      // entry that still held the call would keep the whole call (and its HTTP exchange) alive.
      entry.pending = SETTLED_CALL;
    }
  }

  private errorFor(request: JsonRpcRequest, error: unknown, upstream?: UpstreamSession): JsonRpcResponse {
    if (error instanceof GatehouseError) {
      return gatehouseErrorResponse(request.id, error.code, error.message, error.code === 'GATEHOUSE_UPSTREAM_TIMEOUT' ? REQUEST_TIMEOUT : undefined);
    }
    const e = error as { rpc?: { code: number; message: string; data?: unknown }; invalidParams?: boolean; message?: string };
    if (e?.rpc) return errorResponse(request.id, e.rpc.code, e.rpc.message, e.rpc.data);
    if (e?.invalidParams) return errorResponse(request.id, INVALID_PARAMS, e.message ?? 'invalid params');
    this.options.logger.log('warn', 'request failed upstream', { method: request.method, server: upstream?.serverId, error: String(error) });
    // Name the server: in the aggregate the agent (and the user reading along) must know which one failed.
    const who = upstream ? `the upstream server '${upstream.serverId}'` : 'the upstream server';
    return gatehouseErrorResponse(request.id, 'GATEHOUSE_UPSTREAM_ERROR', `${who} failed to answer (${e?.message ?? String(error)}); try again, and tell your admin if it persists`, INTERNAL_ERROR);
  }

  /** Something an upstream said, either about one of our requests (channel set) or on its own. */
  fromUpstream(upstream: UpstreamSession, message: JsonRpcMessage, channel?: DownstreamChannel, call?: PendingCall): void {
    if (this.closed) return;
    if (isRequest(message)) return this.relayServerRequest(upstream, message, channel, call);
    if (isResponse(message)) return;
    const n = message as JsonRpcNotification;
    if (n.method === 'notifications/cancelled') {
      const target = [...this.serverRequests.entries()].find(([, r]) => r.upstream === upstream && r.upstreamId === n.params?.['requestId']);
      if (!target) return;
      this.serverRequests.delete(target[0]);
      target[1].call?.resume();
      return this.emit({ ...n, params: { ...n.params, requestId: target[1].downstreamId } }, channel);
    }
    if (n.method.endsWith('/list_changed') && this.options.serverId === undefined) {
      // The aggregate re-lists everything anyway; one notification per kind is enough.
      return this.emit({ jsonrpc: '2.0', method: n.method });
    }
    const params = this.view.mapNotification(upstream, n.method, n.params);
    this.emit(params === undefined ? { jsonrpc: '2.0', method: n.method } : { jsonrpc: '2.0', method: n.method, params }, channel);
  }

  private relayServerRequest(upstream: UpstreamSession, request: JsonRpcRequest, channel?: DownstreamChannel, call?: PendingCall): void {
    if (request.method === 'ping') {
      void upstream.respond(resultResponse(request.id, {})).catch(() => undefined);
      return;
    }
    const elicitation = this.options.elicitation;
    if (request.method === 'elicitation/create' && elicitation) return void this.elicitHere(elicitation, upstream, request, call);
    const needed = NEEDS_CAPABILITY[request.method];
    if (needed !== undefined && !this.options.client.capabilities[needed]) {
      // The upstream saw our declared capabilities; asking anyway is its bug, refused as the client would.
      void upstream.respond(errorResponse(request.id, METHOD_NOT_FOUND, `the client did not declare the '${needed}' capability`)).catch(() => undefined);
      return;
    }
    const downstreamId = `gh-${this.id.slice(0, 8)}-${++this.nextServerRequest}`;
    this.serverRequests.set(idKey(downstreamId), { method: request.method, downstreamId, upstream, upstreamId: request.id, call, params: request.params });
    call?.pause(); // the user may take a while to answer; that is not the server being slow
    this.emit({ ...request, id: downstreamId }, channel);
  }

  /** Gatehouse asks the user itself; the call that caused the question waits without timing out. */
  private async elicitHere(elicitation: GatehouseElicitation, upstream: UpstreamSession, request: JsonRpcRequest, call?: PendingCall): Promise<void> {
    call?.pause();
    try {
      const outcome = await elicitation.answer(
        {
          clientName: this.options.clientName,
          clientTitle: this.clientTitle(),
          serverId: upstream.serverId,
          serverName: this.options.serverNames?.get(upstream.serverId),
        },
        request.params,
      );
      const response = outcome.ok ? resultResponse(request.id, outcome.result) : errorResponse(request.id, outcome.code, outcome.message);
      await this.audit.record(this.elicitationEvent(upstream, request.params, response, 'gatehouse')).catch(() => undefined);
      await upstream.respond(response);
    } catch (error) {
      this.options.logger.log('warn', 'could not answer an elicitation upstream', { server: upstream.serverId, error: String(error) });
    } finally {
      call?.resume();
    }
  }

  /** A client's answer to a request a server made through us. */
  async handleResponse(response: JsonRpcResponse): Promise<void> {
    this.lastSeen = Date.now();
    if (response.id === null) return;
    const key = idKey(response.id);
    const pending = this.serverRequests.get(key);
    if (!pending) return;
    this.serverRequests.delete(key);
    pending.call?.resume();
    let answer: JsonRpcResponse = { ...response, id: pending.upstreamId };
    if (pending.method === 'elicitation/create' && this.options.dlp && 'result' in response) {
      answer = resultResponse(pending.upstreamId, screenAnswer(this.options.dlp, this.options.logger, pending.upstream.serverId, response.result));
    }
    if (pending.method === 'elicitation/create') {
      await this.audit.record(this.elicitationEvent(pending.upstream, pending.params, answer, 'client')).catch(() => undefined);
    }
    await pending.upstream.respond(answer).catch((error: unknown) => {
      this.options.logger.log('warn', 'could not deliver an answer upstream', { server: pending.upstream.serverId, error: String(error) });
    });
  }

  /** A server's question and the user's answer, as it went upstream (values only if policy keeps them). */
  private elicitationEvent(upstream: UpstreamSession, params: Params | undefined, answer: JsonRpcResponse, shownBy: 'gatehouse' | 'client'): AuditEventInput {
    const mode = params?.['mode'] === 'url' ? 'url' : 'form';
    const base = { type: 'elicitation' as const, ...this.who(), server: upstream.serverId, method: 'elicitation/create', details: { mode, shownBy } };
    if ('error' in answer) return { ...base, decision: 'failed', code: `rpc:${answer.error.code}`, reason: answer.error.message };
    const action = answer.result['action'];
    const content = answer.result['content'];
    const fields = typeof content === 'object' && content !== null ? Object.keys(content) : [];
    const decision = action === 'accept' ? 'answered' : action === 'decline' ? 'declined' : 'cancelled';
    return {
      ...base,
      decision,
      details: { ...base.details, fields, ...(this.audit.keeps.elicitationAnswers && action === 'accept' && content !== undefined ? { answer: content } : {}) },
    };
  }

  async handleNotification(notification: JsonRpcNotification): Promise<void> {
    this.lastSeen = Date.now();
    switch (notification.method) {
      case 'notifications/cancelled': {
        const requestId = notification.params?.['requestId'];
        if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
        const entry = this.inflight.get(idKey(requestId));
        if (!entry) return;
        entry.cancelled = true;
        entry.pending.cancel(typeof notification.params?.['reason'] === 'string' ? notification.params['reason'] : 'cancelled by the client');
        return;
      }
      case 'notifications/roots/list_changed':
        await Promise.all(this.view.upstreams.map((u) => u.notify(notification.method, notification.params).catch(() => undefined)));
        return;
      default:
        return;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.initialized) void this.audit.record({ type: 'session.closed', ...this.who(), decision: 'recorded' });
    for (const entry of this.inflight.values()) entry.pending.cancel('the client session ended');
    await Promise.all(this.view.upstreams.map((u) => u.close()));
  }
}

const scannedByDlp = (steps: readonly AuditStep[] | undefined): boolean => steps?.some((s) => s.step === 'dlp' && s.outcome !== 'block') === true;

const elapsed = (started: number): number => Math.round((performance.now() - started) * 100) / 100;

/** The syslog severities MCP's logging/setLevel accepts. */
const LOG_LEVELS = new Set(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);

/** Methods the aggregate endpoint routes to one server by the name or URI they carry. */
const ROUTED = new Set(['tools/call', 'prompts/get', 'resources/read', 'resources/subscribe', 'resources/unsubscribe', 'completion/complete']);
