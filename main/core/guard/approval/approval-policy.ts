// Policy for human approval: rules per server and tool, first match wins, and no match needs none.
// `destructive` asks unless the tool says it only reads: destructiveHint true, or readOnlyHint not
// true. Annotations are the server's own claims, so they count only for servers policy trusts
// (servers[].trustAnnotations); for any other server every tool counts as destructive.
import { z } from 'zod';

const Pattern = z.string().regex(/^[A-Za-z0-9_.\/*?-]{1,128}$/, { error: 'must be a name or a pattern with * and ?' });

export const ApprovalRuleSchema = z.strictObject({
  server: Pattern.default('*'),
  tool: Pattern.default('*'),
  approval: z.enum(['never', 'always', 'destructive']).describe('never: no prompt; always: every call; destructive: calls of tools that may change things.'),
});

export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 120;

export const ApprovalsSchema = z.strictObject({
  timeoutSeconds: z.int().min(5).max(3_600).default(DEFAULT_APPROVAL_TIMEOUT_SECONDS).describe('No answer within this time counts as deny.'),
  rules: z.array(ApprovalRuleSchema).max(500).default(() => []),
});

export type ApprovalsPolicy = z.output<typeof ApprovalsSchema>;
export type ApprovalRule = z.output<typeof ApprovalRuleSchema>;
