// The broker: a policy, the registered clients, and the local endpoint they connect to. Hosts (the
// CLI, the desktop app, tests) construct it with their own ports and start it.
import { Agent, type Dispatcher } from 'undici';
import type { Policy, ServerPolicy } from './policy/schema.js';
import type { Logger } from './ports/logger.js';
import { HttpEndpoint, type Access, type EndpointHost } from './endpoint/http-endpoint.js';
import { BrokerSession } from './session/broker-session.js';
import { AggregateView } from './session/aggregate-view.js';
import { SingleServerView } from './session/single-server-view.js';
import { UpstreamSession, type ClientIdentity } from './upstream/upstream-session.js';
import { createUpstreamTransport, transportOrder } from './upstream/create-transport.js';
import { toolAccessFor, type RoleSource, type ToolAccess } from './guard/tool-access.js';
import { CallGuard } from './guard/call-guard.js';
import { RateLimiter } from './guard/rate-limit/rate-limiter.js';
import { authorizationStep, pauseStep, rateLimitStep } from './guard/steps.js';
import { systemClock, type Clock } from './ports/clock.js';
import { denyingPrompter, type Prompter } from './ports/prompter.js';
import { ApprovalStep } from './guard/approval/approval-step.js';
import { GatehouseElicitation } from './elicitation/gatehouse-elicitation.js';
import { pinningStep } from './guard/pinning/pinning-step.js';
import { DlpStep } from './guard/dlp/dlp-step.js';
import { dlpGuardStep, findingSummary } from './guard/dlp/dlp-guard-step.js';
import type { ToolPinning } from './guard/pinning/tool-pinning.js';
import { NO_TOOL_REVIEW, type ToolReview } from './session/session-view.js';
import { NO_CREDENTIALS, type UpstreamCredentials } from './identity/upstream-credentials.js';
import type { AuditRecorder } from './audit/audit-recorder.js';
import { ServerHealth } from './status/server-health.js';

export interface ClientAuthenticator {
  authenticate(token: string): { name: string } | undefined;
}

export interface BrokerOptions {
  policy: Policy;
  clients: ClientAuthenticator;
  logger: Logger;
  /** Overrides the policy's port (0 picks a free one). */
  port?: number;
  version: string;
  /** Shared connection pool to upstreams; tests may inject their own. */
  dispatcher?: Dispatcher;
  /** The signed-in user's roles; required when policy has an `identity` section. */
  roles?: RoleSource;
  /** The user's token for each server, as its auth.mode obtains it; absent, no server gets one. */
  credentials?: (server: ServerPolicy) => UpstreamCredentials;
  clock?: Clock;
  /** Who answers approval prompts; by default nobody, so anything that needs a person is denied. */
  prompter?: Prompter;
  /** Tool pinning and poisoning checks (pins live in the data dir); absent, tools are not pinned. */
  pinning?: ToolPinning;
  /** Development only: URLs on plain-http loopback may be shown to the user (URL-mode elicitation). */
  allowLoopbackHttp?: boolean;
  /** The audit trail every session records into; absent, nothing is recorded. */
  audit?: AuditRecorder;
}

export class Broker implements EndpointHost {
  private readonly endpoint: HttpEndpoint;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly servers: Map<string, ServerPolicy>;
  private readonly toolAccess: ToolAccess;
  private readonly guard: CallGuard;
  private readonly reviewTools: ToolReview;
  private readonly elicitation: GatehouseElicitation | undefined;
  private readonly dlp: DlpStep;
  private readonly serverNames: ReadonlyMap<string, string | undefined>;
  private readonly credentials = new Map<string, UpstreamCredentials>();
  /** Each server's health across sessions, for the dashboard and the audit trail. */
  readonly health: ServerHealth;
  /** The user paused every tool call (tray or dashboard). */
  private pausedByUser = false;
  private readonly pauseListeners = new Set<() => void>();

  constructor(private readonly options: BrokerOptions) {
    this.servers = new Map(options.policy.servers.map((s) => [s.id, s]));
    if (options.policy.identity !== undefined && options.roles === undefined) throw new Error('a policy with identity needs a role source');
    this.toolAccess = toolAccessFor(options.policy, options.roles ?? { roles: () => [] });
    const clock = options.clock ?? systemClock;
    this.health = new ServerHealth(clock, options.audit);
    const limiter = new RateLimiter(options.policy.rateLimits, clock);
    const approval = new ApprovalStep(options.policy.approvals, this.servers, options.prompter ?? denyingPrompter, clock, options.logger);
    const dlp = new DlpStep(options.policy.dlp);
    this.dlp = dlp;
    const { elicitation } = options.policy;
    this.elicitation =
      elicitation.handler === 'gatehouse'
        ? new GatehouseElicitation(options.prompter ?? denyingPrompter, clock, options.logger, elicitation.timeoutSeconds * 1000, options.allowLoopbackHttp === true, dlp)
        : undefined;
    this.serverNames = new Map(options.policy.servers.map((s) => [s.id, s.name]));
    const { pinning } = options;
    this.guard = new CallGuard([
      pauseStep(() => this.pausedByUser),
      authorizationStep(this.toolAccess),
      ...(limiter.enabled ? [rateLimitStep(limiter)] : []),
      dlpGuardStep(dlp, (decision) =>
        options.logger.log(decision.kind === 'block' ? 'warn' : 'info', `DLP: ${decision.kind}`, { findings: decision.findings.map(findingSummary) }),
      ),
      ...(pinning ? [pinningStep(pinning)] : []),
      approval,
    ]);
    this.reviewTools = pinning
      ? (serverId, tools, continues) =>
          pinning.review(serverId, this.servers.get(serverId)!.url, tools, { continues }).then(
            (review) => review.visible,
            (error: unknown) => {
              // Pins that cannot be checked or saved: nothing of that server is shown rather than something unchecked.
              options.logger.log('error', `could not check the tool pins of server '${serverId}'; its tools are hidden`, { server: serverId, error: String(error) });
              return [];
            },
          )
      : NO_TOOL_REVIEW;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: 64 });
    this.endpoint = new HttpEndpoint({
      port: options.port ?? options.policy.endpoint.port,
      maxBodyBytes: options.policy.endpoint.maxBodyBytes,
      host: this,
      logger: options.logger,
    });
  }

  get url(): string {
    return this.endpoint.url;
  }

  start(): Promise<number> {
    return this.endpoint.listen();
  }

  async stop(): Promise<void> {
    await this.endpoint.close();
    await Promise.all([...this.credentials.values()].map((c) => c.close?.().catch(() => undefined)));
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Whether the user has paused every tool call. */
  get paused(): boolean {
    return this.pausedByUser;
  }

  /**
   * Pauses (or resumes) every tool call, whichever client makes it: while paused, calls are refused
   * with GATEHOUSE_TOOLS_PAUSED before anything else is checked. Takes effect at once; the change
   * is recorded in the audit trail, and the promise settles once that record is on disk or its
   * failure is logged (the audit log keeps it to write later when policy requires auditing).
   */
  async setPaused(paused: boolean): Promise<void> {
    if (paused === this.pausedByUser) return;
    this.pausedByUser = paused;
    this.options.logger.log('info', paused ? 'tool calls paused by the user' : 'tool calls resumed by the user');
    for (const listener of [...this.pauseListeners]) listener();
    await this.options.audit?.record({
      type: 'tools.paused',
      decision: 'recorded',
      user: this.options.roles?.subject?.(),
      reason: paused ? 'the user paused every tool call' : 'the user resumed tool calls',
      details: { paused },
    }).catch((error: unknown) => this.options.logger.log('warn', 'could not record the pause in the audit trail yet', { error: String(error) }));
  }

  /** Called after each pause or resume; returns the unsubscribe function. */
  onPausedChange(listener: () => void): () => void {
    this.pauseListeners.add(listener);
    return () => void this.pauseListeners.delete(listener);
  }

  authenticate(token: string): { name: string } | undefined {
    return this.options.clients.authenticate(token);
  }

  /** The servers a client may use: all, unless policy lists it under `clients`. */
  private allowedServers(clientName: string): ServerPolicy[] {
    const rule = this.options.policy.clients.find((c) => c.name === clientName);
    const all = this.options.policy.servers;
    return rule ? all.filter((s) => rule.servers.includes(s.id)) : all;
  }

  access(clientName: string, serverId: string | undefined): Access {
    if (serverId === undefined) return 'ok';
    if (!this.servers.has(serverId)) return 'unknown';
    return this.allowedServers(clientName).some((s) => s.id === serverId) ? 'ok' : 'forbidden';
  }

  createSession(clientName: string, serverId: string | undefined): BrokerSession {
    const servers = serverId === undefined ? this.allowedServers(clientName) : [this.servers.get(serverId)!];
    const { logger } = this.options;
    // The session is created first so upstream events can reach it; upstreams are created with
    // the client's capabilities once its initialize arrives (see BrokerSession.initialize).
    const ref: { session?: BrokerSession } = {};
    const client: ClientIdentity = {
      protocolVersion: '',
      capabilities: {},
      clientInfo: {},
      ...(this.elicitation ? { gatehouseCapabilities: { elicitation: { form: {}, url: {} } } } : {}),
    };
    const upstreams = servers.map((server) => {
      // Events fire only after connect(), by which time `upstream` is assigned.
      const upstream: UpstreamSession = new UpstreamSession({
          serverId: server.id,
          connectTimeoutMs: server.timeouts.connectMs,
          requestTimeoutMs: server.timeouts.requestMs,
          client,
          logger,
          transports: transportOrder(server),
          createTransport: (kind) => createUpstreamTransport(server, kind, { dispatcher: this.dispatcher, logger, credentials: this.credentialsFor(server) }),
          events: {
            onUnrelated: (m) => ref.session?.fromUpstream(upstream, m),
            onStateChange: (state, error) => {
              this.health.update(server.id, state, { ...(error ? { error } : {}), waitsForAuth: upstream.waitsForAuth });
              ref.session?.onUpstreamState(upstream, state, error);
            },
          },
        });
      return upstream;
    });
    const view = serverId === undefined
      ? new AggregateView(upstreams, logger, { name: 'gatehouse', title: 'Gatehouse', version: this.options.version }, this.toolAccess, this.reviewTools)
      : new SingleServerView(upstreams[0]!, this.toolAccess, this.reviewTools);
    const user = () => this.options.roles?.subject?.();
    ref.session = new BrokerSession({
      clientName,
      serverId,
      view,
      logger,
      client,
      guard: this.guard,
      user,
      dlp: this.dlp,
      ...(this.options.audit ? { audit: this.options.audit } : {}),
      ...(this.elicitation ? { elicitation: this.elicitation, serverNames: this.serverNames } : {}),
    });
    return ref.session;
  }

  /** One credentials object per server for the broker's life: its tokens and single-flight state are shared by every session. */
  private credentialsFor(server: ServerPolicy): UpstreamCredentials {
    let found = this.credentials.get(server.id);
    if (!found) {
      found = this.options.credentials?.(server) ?? NO_CREDENTIALS;
      this.credentials.set(server.id, found);
    }
    return found;
  }

  /**
   * The user signed in or out, or their roles changed at a refresh: what every session may see has
   * changed, and servers that could not connect for want of a token may connect now.
   */
  identityChanged(): void {
    this.endpoint.forEachSession((session) => session.identityChanged());
  }
}
