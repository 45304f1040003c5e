// Policy for the audit trail: whether calls may go on when nothing can be recorded, what of the
// arguments is kept, how long events stay on the laptop, and the collector they are shipped to.
// This file must not import policy/schema.ts, which imports it.
import { z } from 'zod';
import { strictObject } from '../policy/strict-object.js';
import { serverUrlProblem } from '../policy/server-url.js';

export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_RETENTION_MEGABYTES = 1024;
export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_SYNC_INTERVAL_SECONDS = 10;
export const DEFAULT_SYNC_TIMEOUT_SECONDS = 30;
export const DEFAULT_MAX_PENDING_MEGABYTES = 512;
export const DEFAULT_WARN_PENDING_PERCENT = 25;

/** Names of keychain entries a sink header may refer to (`gatehouse audit secret set NAME`). */
export const AUDIT_SECRET_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
/** Header names the HTTP client sets itself; a policy that sets them would break or smuggle requests. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'expect', 'upgrade', 'te', 'trailer']);

const HeaderValueSchema = z.union([
  z.string().max(4096).regex(/^[\t\x20-\x7e]*$/, { error: 'must be printable ASCII' }).describe('A literal value (not a secret: the policy file is readable by the user).'),
  strictObject({
    secret: z.string().regex(AUDIT_SECRET_NAME, { error: 'must be 1-64 lowercase letters, digits, dots, underscores or hyphens' })
      .describe('Name of a keychain entry holding the value; set it with `gatehouse audit secret set NAME`.'),
  }),
]);

export const AuditSinkSchema = strictObject({
  url: z.string().superRefine((url, ctx) => {
    const problem = serverUrlProblem(url);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem.replace('configure credentials with "auth"', 'put credentials in "headers"'), input: url });
  }).meta({ format: 'uri', description: 'Where batches are POSTed, e.g. https://otel.example.com/v1/logs. https, or http only on loopback.' }),
  format: z.enum(['otlp', 'jsonl']).default('otlp').describe('otlp: OTLP/HTTP JSON logs (OpenTelemetry MCP conventions); jsonl: one event per line.'),
  headers: z.record(z.string().regex(HEADER_NAME, { error: 'must be an HTTP header name' }), HeaderValueSchema)
    .superRefine((headers, ctx) => {
      for (const name of Object.keys(headers)) {
        if (RESERVED_HEADERS.has(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is set by Gatehouse itself; remove it`, input: name });
      }
    })
    .default(() => ({}))
    .describe('Extra request headers; secret values come from the keychain.'),
  batchSize: z.number().int().min(1).max(10_000).default(DEFAULT_BATCH_SIZE).describe('Most events per request.'),
  intervalSeconds: z.number().int().min(1).max(3600).default(DEFAULT_SYNC_INTERVAL_SECONDS).describe('How often pending events are shipped.'),
  timeoutSeconds: z.number().int().min(1).max(600).default(DEFAULT_SYNC_TIMEOUT_SECONDS).describe('How long one request may take.'),
  maxPendingMegabytes: z.number().int().min(1).max(100_000).default(DEFAULT_MAX_PENDING_MEGABYTES)
    .describe('Cap on events not yet shipped. At the cap, "required" decides: calls fail (true) or go on unaudited (false).'),
  warnPendingPercent: z.number().int().min(1).max(99).default(DEFAULT_WARN_PENDING_PERCENT).describe('Warn the user and the log when pending events reach this share of the cap.'),
});
export type AuditSinkPolicy = z.output<typeof AuditSinkSchema>;

export const AuditPolicySchema = strictObject({
  required: z.boolean().default(true).describe(
    'true: when events cannot be recorded (disk full, read-only or corrupt store, outbox at its cap), tool calls fail. false: they go on, and the gap is recorded once the store works again.',
  ),
  arguments: z.enum(['redacted', 'keys', 'none']).default('redacted').describe(
    'What is kept of tool arguments: redacted (DLP matches masked, long values cut), keys (argument names only) or none. A hash of the raw arguments is always kept.',
  ),
  elicitationAnswers: z.boolean().default(false).describe("Keep the values of users' answers to servers' questions (after DLP masking); otherwise only the field names."),
  retention: strictObject({
    days: z.number().int().min(1).max(3650).default(DEFAULT_RETENTION_DAYS).describe('Events older than this are deleted once shipped.'),
    maxMegabytes: z.number().int().min(1).max(100_000).default(DEFAULT_RETENTION_MEGABYTES).describe('Oldest shipped events are deleted beyond this size.'),
  }).default(() => ({ days: DEFAULT_RETENTION_DAYS, maxMegabytes: DEFAULT_RETENTION_MEGABYTES })),
  sink: AuditSinkSchema.optional().describe("The company's collector; without it events stay on the laptop."),
});
export type AuditPolicy = z.output<typeof AuditPolicySchema>;

export const DEFAULT_AUDIT_POLICY: AuditPolicy = AuditPolicySchema.parse({});
