// The policy IT writes and MDM delivers. Every object is strict (strict-object.ts), so a misspelt
// key fails loudly instead of leaving a control silently off.
import { z } from 'zod';
import { serverUrlProblem } from './server-url.js';
import { POLICY_VERSION, strictObject } from './strict-object.js';

export { POLICY_VERSION, unknownSettingMessage } from './strict-object.js';
import { ApprovalsSchema, DEFAULT_APPROVAL_TIMEOUT_SECONDS } from '../guard/approval/approval-policy.js';
import { RateLimitsSchema } from '../guard/rate-limit/rate-limit-policy.js';
import { DlpPolicySchema } from '../guard/dlp/dlp-policy.js';
import {
  DEFAULT_PINNING_POLICY, DEFAULT_POISONING_POLICY, PinningPolicySchema, PoisoningPolicySchema, pinningReferenceIssues,
} from '../guard/pinning/pinning-policy.js';
import { DEFAULT_ELICITATION_TIMEOUT_SECONDS, ElicitationSchema } from '../elicitation/elicitation-policy.js';
import { AuditPolicySchema, DEFAULT_AUDIT_POLICY } from '../audit/audit-policy.js';
import { DEFAULT_DESKTOP_POLICY, DesktopPolicySchema } from '../desktop/desktop-policy.js';

export const DEFAULT_PORT = 47474;
export const MIN_MAX_BODY_BYTES = 1024;
export const MAX_MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const MAX_SERVERS = 100;
export const DEFAULT_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'offline_access'];
export const DEFAULT_ROLE_CLAIM = 'groups';

const SERVER_ID = /^[a-z0-9-]{1,24}$/;
const CLIENT_NAME = /^[a-z0-9][a-z0-9._-]{0,47}$/;


const HttpsUrlSchema = z
  .string()
  .superRefine((url, ctx) => {
    const problem = serverUrlProblem(url);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: url });
  })
  .meta({ format: 'uri', description: 'https, or http only for loopback (127.0.0.0/8, ::1, localhost). No credentials.' });

const ServerUrlSchema = HttpsUrlSchema.meta({
  format: 'uri',
  description: 'The remote MCP endpoint. https, or http only for loopback (127.0.0.0/8, ::1, localhost). No credentials.',
});

const ScopeListSchema = z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/, { error: 'must be an OAuth scope: printable characters, no spaces or quotes' })).max(50);

// Each mode is its own strict object with the settings only that mode has.
const AuthNoneSchema = strictObject({ mode: z.literal('none') });
const AuthIdpAudienceSchema = strictObject({
  mode: z.literal('idp-audience'),
  resource: HttpsUrlSchema.optional().describe('RFC 8707 resource to ask the IdP for; defaults to the server URL.'),
  scopes: ScopeListSchema.optional().describe('Scopes to ask for with that resource.'),
}).describe('A refresh grant at the enterprise IdP with the RFC 8707 resource of this server.');
const AuthTokenExchangeSchema = strictObject({
  mode: z.literal('token-exchange'),
  audience: z.string().min(1).max(2048).optional().describe('RFC 8693 audience; defaults to the server URL.'),
  resource: HttpsUrlSchema.optional().describe('RFC 8693 resource; defaults to the server URL.'),
  scopes: ScopeListSchema.optional(),
}).describe("An RFC 8693 exchange of the user's IdP access token for a token meant for this server.");
const AuthIdJagSchema = strictObject({
  mode: z.literal('id-jag'),
  authorizationServer: HttpsUrlSchema.describe("Issuer of this server's authorization server, which accepts the ID-JAG (RFC 7523 jwt-bearer grant)."),
  clientId: z.string().min(1).max(512).describe("Gatehouse's client id at that authorization server."),
  resource: HttpsUrlSchema.optional().describe('Defaults to the server URL.'),
  scopes: ScopeListSchema.optional(),
}).describe('MCP enterprise-managed authorization: an ID-JAG from the IdP, then a jwt-bearer grant at the server\'s authorization server.');
const AuthOAuthSchema = strictObject({
  mode: z.literal('oauth'),
  clientId: z.string().min(1).max(512).optional().describe('A client pre-registered at the server\'s authorization server.'),
  clientMetadataUrl: HttpsUrlSchema.optional().describe('URL of Gatehouse\'s client ID metadata document, used where the authorization server supports it.'),
  scopes: ScopeListSchema.optional(),
  allowPrivateHosts: z.array(z.string().min(1).max(253)).max(20).optional().describe('Hosts on private addresses that discovery may reach (by default only public addresses are).'),
}).describe('The MCP authorization spec, for servers outside the IdP: the user consents once in the browser.');
const AUTH_MODE_SCHEMAS = [AuthNoneSchema, AuthIdpAudienceSchema, AuthTokenExchangeSchema, AuthIdJagSchema, AuthOAuthSchema] as const;
/** Modes whose token is derived from the enterprise sign-in, so they need `identity`. */
export const IDENTITY_AUTH_MODES: ReadonlySet<string> = new Set(['idp-audience', 'token-exchange', 'id-jag']);
const SUPPORTED_AUTH_MODES = AUTH_MODE_SCHEMAS.map((schema) => JSON.stringify(schema.shape.mode.value)).join(', ');
const AuthSchema = z
  .discriminatedUnion('mode', AUTH_MODE_SCHEMAS, {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const mode = typeof issue.input === 'object' && issue.input !== null ? (issue.input as Record<string, unknown>)['mode'] : undefined;
      return mode === undefined
        ? `is required; this Gatehouse supports: ${SUPPORTED_AUTH_MODES}`
        : `unsupported auth mode ${JSON.stringify(mode)}; this Gatehouse supports: ${SUPPORTED_AUTH_MODES}`;
    },
  })
  .describe('How Gatehouse obtains a token for this server.');

const ToolRuleSchema = strictObject({
  match: z
    .string()
    .regex(/^[A-Za-z0-9_.\/*?-]{1,128}$/, { error: 'must be a tool name or a pattern with * and ? (letters, digits, _ . / - only)' })
    .describe("The server's own tool name, or a pattern: * matches any run of characters, ? one character."),
  scope: z.string().regex(/^[A-Za-z0-9_.:\/-]{1,128}$/, { error: 'must be 1 to 128 of: letters, digits, _ . : / -' }).describe('The scope a role must grant to use the matching tools.'),
});

const IdentitySchema = strictObject({
  issuer: HttpsUrlSchema.describe('OIDC issuer of the enterprise IdP (https).'),
  clientId: z.string().min(1).max(512).describe("Gatehouse's public client id at the IdP."),
  scopes: ScopeListSchema.refine((scopes) => scopes.includes('openid'), { error: 'must include "openid"' }).default(() => [...DEFAULT_SCOPES]),
  roleClaim: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/, { error: 'must be a claim name or a dot path such as realm_access.roles' })
    .max(200)
    .default(DEFAULT_ROLE_CLAIM)
    .describe('Where the ID token carries the user\'s roles: a claim name or dot path (groups, realm_access.roles).'),
  extraAuthParams: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.string().max(1024))
    .superRefine((params, ctx) => {
      for (const key of Object.keys(params)) {
        if (RESERVED_AUTH_PARAMS.has(key)) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is set by Gatehouse itself and cannot be overridden`, input: key });
      }
    })
    .default(() => ({}))
    .describe('Extra parameters for the authorization request (for example prompt or acr_values).'),
});

const RESERVED_AUTH_PARAMS = new Set(['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'request', 'request_uri']);

const TimeoutsSchema = strictObject({
  connectMs: z.int().min(100).max(120_000).default(DEFAULT_CONNECT_TIMEOUT_MS).describe('Time allowed to connect to the server.'),
  requestMs: z
    .int()
    .min(1_000)
    .max(3_600_000)
    .default(DEFAULT_REQUEST_TIMEOUT_MS)
    // Idle rather than total, so a long tool call that keeps reporting progress is not cut off.
    .describe('Idle timeout for one request: the longest silence allowed; progress notifications reset it.'),
});

export const ServerPolicySchema = strictObject({
  id: z
    .string()
    .regex(SERVER_ID, { error: 'must be 1 to 24 lowercase letters, digits or hyphens' })
    .describe('Stable identifier; prefixes tool names (<id>__<tool>) and appears in audit records.'),
  name: z.string().min(1).max(80).optional().describe('Display name shown to users.'),
  url: ServerUrlSchema,
  transport: z.enum(['auto', 'streamable-http', 'sse']).default('auto'),
  auth: AuthSchema,
  trustAnnotations: z
    .boolean()
    .default(false)
    .describe("Take this server's tool annotations (readOnlyHint, destructiveHint) at their word for approvals; otherwise every tool counts as destructive."),
  tools: z
    .array(ToolRuleSchema)
    .max(500)
    .optional()
    .describe('Which scope each tool needs; the first matching rule decides. With identity set, a tool no rule grants is hidden and refused.'),
  timeouts: TimeoutsSchema.default(() => ({
    connectMs: DEFAULT_CONNECT_TIMEOUT_MS,
    requestMs: DEFAULT_REQUEST_TIMEOUT_MS,
  })),
});

const EndpointSchema = strictObject({
  port: z.int().min(1).max(65_535).default(DEFAULT_PORT).describe('Loopback port of the local MCP endpoint.'),
  maxBodyBytes: z
    .int()
    .min(MIN_MAX_BODY_BYTES)
    .max(MAX_MAX_BODY_BYTES)
    .default(DEFAULT_MAX_BODY_BYTES)
    .describe('Requests with larger bodies are rejected before parsing.'),
});

export const ClientPolicySchema = strictObject({
  name: z
    .string()
    .regex(CLIENT_NAME, { error: 'must start with a lowercase letter or digit, then up to 47 of: a-z 0-9 . _ -' })
    .describe('Name the client was registered under (gatehouse connect <name>).'),
  servers: z.array(z.string()).describe('Ids of the only servers this client may use.'),
});

export const PolicySchema = strictObject(
  {
    $schema: z.string().optional().describe('Lets editors find the JSON Schema; ignored by Gatehouse.'),
    version: z.literal(POLICY_VERSION, {
      error: (issue) =>
        issue.input === undefined
          ? `is required: set "version": ${POLICY_VERSION}`
          : `this Gatehouse understands policy version ${POLICY_VERSION} only (got ${JSON.stringify(issue.input)})`,
    }),
    servers: z.array(ServerPolicySchema).max(MAX_SERVERS).describe('The remote MCP servers users may reach.'),
    endpoint: EndpointSchema.default(() => ({ port: DEFAULT_PORT, maxBodyBytes: DEFAULT_MAX_BODY_BYTES })),
    identity: IdentitySchema.optional().describe('The enterprise IdP users sign in with.'),
    roles: z
      .record(z.string().min(1).max(200), z.array(z.string().min(1).max(128)).max(500))
      .default(() => ({}))
      .describe('IdP role → the scopes it grants; scopes name the tools they open in servers[].tools.'),
    approvals: ApprovalsSchema.default(() => ({ timeoutSeconds: DEFAULT_APPROVAL_TIMEOUT_SECONDS, rules: [] })).describe('When a person must approve a tool call.'),
    dlp: DlpPolicySchema.default(() => DlpPolicySchema.parse({})).describe('Data loss prevention on tool arguments and answers going upstream.'),
    elicitation: ElicitationSchema.default(() => ({ handler: 'client' as const, timeoutSeconds: DEFAULT_ELICITATION_TIMEOUT_SECONDS })).describe("Who shows servers' questions to the user."),
    pinning: PinningPolicySchema.default(() => ({ ...DEFAULT_PINNING_POLICY })).describe('How tool definitions are pinned, and hashes policy expects.'),
    poisoning: PoisoningPolicySchema.default(() => ({ ...DEFAULT_POISONING_POLICY })).describe('What happens to a tool whose description looks poisoned.'),
    rateLimits: RateLimitsSchema.default(() => ({ tools: [], clients: [] })).describe('Token buckets and daily quotas per user × server × tool and per client.'),
    audit: AuditPolicySchema.default(() => structuredClone(DEFAULT_AUDIT_POLICY)).describe('The local audit trail and the collector it is shipped to.'),
    desktop: DesktopPolicySchema.default(() => ({ ...DEFAULT_DESKTOP_POLICY })).describe('The desktop app (ignored by `gatehouse serve`).'),
    // A registered client without an entry here may use every server.
    clients: z.array(ClientPolicySchema).default(() => []).describe('Restricts registered clients to some servers.'),
  },
).superRefine(addReferenceIssues, {
  // Run even when other fields failed, so an admin sees every problem in one pass (zod still skips it
  // after the few failures it treats as fatal, such as a non-integer or an over-long array). The value
  // may then be only partly parsed, hence the defensive reads below.
  when: () => true,
});

export type Policy = z.output<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type ServerPolicy = z.output<typeof ServerPolicySchema>;
export type ClientPolicy = z.output<typeof ClientPolicySchema>;
export type IdentityPolicy = z.output<typeof IdentitySchema>;
export type ToolRule = z.output<typeof ToolRuleSchema>;
export type ServerAuth = ServerPolicy['auth'];

function addReferenceIssues(value: unknown, ctx: z.RefinementCtx): void {
  const servers = arrayAt(value, 'servers');
  const firstIndexOfId = new Map<string, number>();
  servers.forEach((server, index) => {
    const id = stringAt(server, 'id');
    if (id === undefined) return;
    const first = firstIndexOfId.get(id);
    if (first === undefined) firstIndexOfId.set(id, index);
    else ctx.addIssue({ code: 'custom', path: ['servers', index, 'id'], message: `duplicate server id "${id}" (already used by servers[${first}])`, input: id });
  });

  const hasIdentity = typeof value === 'object' && value !== null && (value as Record<string, unknown>)['identity'] !== undefined;
  if (!hasIdentity) {
    const roles = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['roles'] : undefined;
    if (typeof roles === 'object' && roles !== null && Object.keys(roles).length > 0) {
      ctx.addIssue({ code: 'custom', path: ['roles'], message: 'roles come from the sign-in; add an "identity" section or remove "roles"', input: undefined });
    }
    servers.forEach((server, index) => {
      const mode = stringAt(typeof server === 'object' && server !== null ? (server as Record<string, unknown>)['auth'] : undefined, 'mode');
      if (mode !== undefined && IDENTITY_AUTH_MODES.has(mode)) {
        ctx.addIssue({ code: 'custom', path: ['servers', index, 'auth', 'mode'], message: `auth mode "${mode}" derives the token from the user's sign-in; add an "identity" section (issuer, clientId)`, input: mode });
      }
      if (arrayAt(server, 'tools').length > 0) {
        ctx.addIssue({ code: 'custom', path: ['servers', index, 'tools'], message: 'tool rules grant tools to roles, which come from the sign-in; add an "identity" section or remove the rules', input: undefined });
      }
    });
  }

  const pinning = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['pinning'] : undefined;
  for (const issue of pinningReferenceIssues(pinning, new Set(firstIndexOfId.keys()))) {
    ctx.addIssue({ code: 'custom', path: ['pinning', ...issue.path], message: issue.message, input: undefined });
  }

  const firstIndexOfClient = new Map<string, number>();
  arrayAt(value, 'clients').forEach((client, index) => {
    const name = stringAt(client, 'name');
    if (name !== undefined) {
      const first = firstIndexOfClient.get(name);
      if (first === undefined) firstIndexOfClient.set(name, index);
      else ctx.addIssue({ code: 'custom', path: ['clients', index, 'name'], message: `duplicate client "${name}" (already listed at clients[${first}]); merge the two entries`, input: name });
    }
    arrayAt(client, 'servers').forEach((serverId, j) => {
      if (typeof serverId === 'string' && !firstIndexOfId.has(serverId)) {
        ctx.addIssue({ code: 'custom', path: ['clients', index, 'servers', j], message: `unknown server id "${serverId}"; it must be the id of an entry in servers`, input: serverId });
      }
    });
  });
}

function arrayAt(value: unknown, key: string): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  const field: unknown = (value as Record<string, unknown>)[key];
  return Array.isArray(field) ? field : [];
}

function stringAt(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}
