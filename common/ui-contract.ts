// What crosses between a host and the prompts UI: the prompts waiting for the user, the user's
// answers, and the messages that carry them. The same contract serves the browser UI over loopback
// HTTP (headless) and, later, Electron windows over IPC. Validated on both sides with these schemas.
// The prompt shapes mirror main/core/ports/prompter.ts (common/ cannot import main/);
// test/unit/common/ui-contract.test.ts keeps the two in step.
import { z } from 'zod';

const id = z.string().min(1).max(200);
const text = (max: number) => z.string().max(max);

export const clientRefSchema = z.object({ name: text(200), title: text(200).optional() });
export const serverRefSchema = z.object({ id: text(200), name: text(200).optional() });

/** A tool call waiting for the user's approval (the port's ApprovalRequest). */
export const approvalRequestSchema = z.object({
  id,
  client: clientRefSchema,
  user: text(500).optional(),
  server: serverRefSchema,
  tool: z.object({ name: text(200), title: text(500).optional(), description: text(20_000).optional() }),
  /** Already masked by DLP. */
  arguments: z.unknown(),
  reasons: z.array(text(2_000)).max(50),
  expiresAt: z.number(),
});
export type ApprovalRequestDto = z.infer<typeof approvalRequestSchema>;

const elicitationBase = { id, client: clientRefSchema, server: serverRefSchema, message: text(20_000), expiresAt: z.number() };

/** A server's question (the port's ElicitationPrompt): a form, or consent to open a URL. */
export const elicitationPromptSchema = z.discriminatedUnion('mode', [
  z.object({ ...elicitationBase, mode: z.literal('form'), requestedSchema: z.record(z.string(), z.unknown()) }),
  z.object({ ...elicitationBase, mode: z.literal('url'), url: text(8_000) }),
]);
export type ElicitationPromptDto = z.infer<typeof elicitationPromptSchema>;

export const approvalAnswerSchema = z.enum(['allow-once', 'allow-session', 'deny']);
export type ApprovalAnswerDto = z.infer<typeof approvalAnswerSchema>;

export const fieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export const elicitationAnswerSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), content: z.record(z.string(), fieldValueSchema).optional() }),
  z.object({ action: z.literal('decline') }),
  z.object({ action: z.literal('cancel') }),
]);
export type ElicitationAnswerDto = z.infer<typeof elicitationAnswerSchema>;

const shown = { id, /** When the host put it up, by the host's clock. */ shownAt: z.number() };

/** One thing waiting for the user. `id` is the one to answer with. */
export const pendingPromptSchema = z.discriminatedUnion('kind', [
  z.object({ ...shown, kind: z.literal('approval'), request: approvalRequestSchema }),
  z.object({ ...shown, kind: z.literal('elicitation'), prompt: elicitationPromptSchema }),
  /** Nobody is signed in, or the sign-in ran out. `canStart`: the host can start a sign-in when asked. */
  z.object({ ...shown, kind: z.literal('sign-in'), reason: text(2_000), canStart: z.boolean() }),
  /** Something the user should know; dismissed by reading it. */
  z.object({ ...shown, kind: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), title: text(200), message: text(5_000) }),
]);
export type PendingPrompt = z.infer<typeof pendingPromptSchema>;
export type PromptKind = PendingPrompt['kind'];

/** The user's answer to one prompt; its kind must be the prompt's. */
export const promptAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('approval'), answer: approvalAnswerSchema }),
  z.object({ kind: z.literal('elicitation'), answer: elicitationAnswerSchema }),
  z.object({ kind: z.literal('sign-in'), answer: z.enum(['sign-in', 'dismiss']) }),
  z.object({ kind: z.literal('notice'), answer: z.literal('dismiss') }),
]);
export type PromptAnswer = z.infer<typeof promptAnswerSchema>;

/** Everything waiting, newest first, each time it changes (the whole list: it is short). */
export const promptsSnapshotSchema = z.object({
  type: z.literal('snapshot'),
  prompts: z.array(pendingPromptSchema),
  /** The host's clock when sent, so countdowns are right even if the UI's clock is off. */
  now: z.number(),
});
export type PromptsSnapshot = z.infer<typeof promptsSnapshotSchema>;

/** The answer's outcome. `errors` (by field name) when a form answer does not fit its form. */
export const answerResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    code: z.enum(['unknown', 'gone', 'wrong-kind', 'invalid', 'failed', 'bad-request', 'unauthorized', 'forbidden']),
    message: text(2_000),
    errors: z.record(z.string(), z.string()).optional(),
  }),
]);
export type AnswerResult = z.infer<typeof answerResultSchema>;

