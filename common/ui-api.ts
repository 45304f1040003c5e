// The UI's API: every call the React UI makes to its host, defined once here (name, request and
// response schemas) and answered with one envelope. The desktop host implements them over IPC
// (preload exposes them as window.gatehouse); the headless host over loopback HTTP
// (POST /api/call/<name>). Both validate the request before acting and the response before sending,
// and the UI validates what it receives: neither side trusts the other's bytes.
import { z } from 'zod';
import { AUDIT_DECISIONS, AUDIT_EVENT_TYPES, auditEventSchema } from './audit-event.js';
import { promptAnswerSchema, promptsSnapshotSchema, answerResultSchema } from './ui-contract.js';
import type { UiTopic } from './ui-topics.js';

const text = (max: number) => z.string().max(max);

/** Every answer: a value, or an error with a stable code and a sentence saying what to do. */
export type UiResult<T> = { ok: true; value: T } | { ok: false; error: UiError };
export const uiErrorSchema = z.object({ code: text(64), message: text(4_000) });
export type UiError = z.infer<typeof uiErrorSchema>;
export const uiResultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: uiErrorSchema })]);

// ---- Dashboard -------------------------------------------------------------------------------

export const SERVER_HEALTH_STATES = ['unknown', 'connecting', 'ready', 'down', 'waiting-for-sign-in'] as const;
export const TOOL_STATES = ['ok', 'quarantined', 'flagged'] as const;

export const toolSummarySchema = z.object({
  name: text(500),
  title: text(500).optional(),
  state: z.enum(TOOL_STATES),
  /** Why it is on hold or flagged. */
  reason: text(4_000).optional(),
});

export const serverSummarySchema = z.object({
  id: text(64),
  name: text(200).optional(),
  url: text(4_000),
  health: z.enum(SERVER_HEALTH_STATES),
  error: text(4_000).optional(),
  since: z.number().optional(),
  /** The tools as last listed (empty until a client has connected to the server). */
  tools: z.array(toolSummarySchema).max(5_000),
});
export type ServerSummary = z.infer<typeof serverSummarySchema>;

export const identitySummarySchema = z.object({
  /** False when policy has no identity section (no sign-in). */
  configured: z.boolean(),
  signedIn: z.boolean(),
  issuer: text(2_000).optional(),
  subject: text(500).optional(),
  name: text(500).optional(),
  roles: z.array(text(200)).max(500),
  /** Where the sign-in is kept: the OS keychain, or memory only (with why). */
  secrets: z.object({ backend: z.enum(['keychain', 'memory']), problem: text(2_000).optional() }).optional(),
});
export type IdentitySummary = z.infer<typeof identitySummarySchema>;

export const clientSummarySchema = z.object({ name: text(200), createdAt: text(100).optional() });

export const auditSummarySchema = z.object({
  ok: z.boolean(),
  /** Why events cannot be written now. */
  failure: text(4_000).optional(),
  /** Pending events are close to the cap. */
  warning: text(4_000).optional(),
  events: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  sink: z.object({ origin: text(2_000), format: z.enum(['otlp', 'jsonl']) }).optional(),
  lastSuccess: z.number().optional(),
  lastError: text(4_000).optional(),
  parked: z.boolean(),
});
export type AuditSummary = z.infer<typeof auditSummarySchema>;

export const dashboardSchema = z.object({
  version: text(50),
  /** The host's clock, so relative times are right even if the UI's clock is off. */
  now: z.number(),
  endpoint: text(200),
  policy: z.object({ source: text(4_000), version: z.number().int(), sha256: text(64) }),
  /** All tool calls are held by the user (tray "Pause all tools"). */
  paused: z.boolean(),
  identity: identitySummarySchema,
  servers: z.array(serverSummarySchema).max(200),
  clients: z.array(clientSummarySchema).max(1_000),
  audit: auditSummarySchema,
});
export type Dashboard = z.infer<typeof dashboardSchema>;

// ---- Activity (the audit log) ----------------------------------------------------------------

export const activityQuerySchema = z.object({
  server: text(200).optional(),
  tool: text(500).optional(),
  client: text(200).optional(),
  decision: z.enum(AUDIT_DECISIONS).optional(),
  type: z.enum(AUDIT_EVENT_TYPES).optional(),
  since: z.number().int().nonnegative().optional(),
  until: z.number().int().nonnegative().optional(),
  /** Plain text searched in the whole event. */
  text: text(500).optional(),
  /** The `next` of the previous page. */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type ActivityQuery = z.input<typeof activityQuerySchema>;

export const activityPageSchema = z.object({ events: z.array(auditEventSchema).max(500), next: z.number().int().positive().optional() });
export type ActivityPage = z.infer<typeof activityPageSchema>;

export const chainStatusSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  firstSeq: z.number().int().optional(),
  lastSeq: z.number().int().optional(),
  from: z.enum(['genesis', 'checkpoint']),
  break: z.object({ kind: z.enum(['edited', 'deleted', 'reordered', 'malformed']), seq: z.number().int(), message: text(4_000) }).optional(),
});
export type ChainStatus = z.infer<typeof chainStatusSchema>;

// ---- Settings --------------------------------------------------------------------------------

export const IDE_KINDS = ['cursor', 'vscode', 'claude-code', 'claude-desktop', 'windsurf', 'generic'] as const;
export const connectResultSchema = z.object({
  client: text(200),
  /** Files written (or, for generic, nothing: the snippet is shown instead). */
  written: z.array(text(4_000)).max(10),
  /** What the user should know or do next, e.g. "restart Cursor". */
  message: text(4_000),
  /** For generic: the URL and header to paste; the token is shown once. */
  snippet: text(10_000).optional(),
});
export type ConnectResult = z.infer<typeof connectResultSchema>;

// ---- The calls -------------------------------------------------------------------------------

const none = z.object({}).strict();

export const UI_CALLS = {
  'dashboard.get': { request: none, response: dashboardSchema },
  'prompts.get': { request: none, response: promptsSnapshotSchema },
  'prompts.answer': { request: z.object({ id: text(200).min(1), answer: promptAnswerSchema }), response: answerResultSchema },
  'activity.query': { request: activityQuerySchema, response: activityPageSchema },
  'activity.verify': { request: none, response: chainStatusSchema },
  'identity.signIn': { request: none, response: z.object({ started: z.boolean(), message: text(2_000) }) },
  'identity.signOut': { request: none, response: z.object({ message: text(2_000) }) },
  'tools.setPaused': { request: z.object({ paused: z.boolean() }), response: z.object({ paused: z.boolean() }) },
  'clients.connect': { request: z.object({ kind: z.enum(IDE_KINDS) }), response: connectResultSchema },
} as const;

export type UiCallName = keyof typeof UI_CALLS;
export type UiRequest<N extends UiCallName> = z.input<(typeof UI_CALLS)[N]['request']>;
export type UiResponse<N extends UiCallName> = z.output<(typeof UI_CALLS)[N]['response']>;

// The topics (something changed that an open view shows) live in a zod-free file the preload bridge imports.
export { UI_TOPICS, isUiTopic, type UiTopic } from './ui-topics.js';

/** What the preload bridge exposes as `window.gatehouse`, and the browser build implements over HTTP. */
export interface GatehouseApi {
  call<N extends UiCallName>(name: N, request: UiRequest<N>): Promise<UiResult<UiResponse<N>>>;
  /** Calls `listener` when `topic` changed; returns the unsubscribe function. */
  subscribe(topic: UiTopic, listener: () => void): () => void;
}

/** The HTTP binding of the same calls (headless host). */
export const UI_API_ROUTES = {
  /** POST the request as JSON; the answer is a UiResult as JSON. */
  call: (name: UiCallName) => `/api/call/${name}`,
  /** GET text/event-stream: an event named after each topic whenever it changes. */
  events: '/api/events',
} as const;
