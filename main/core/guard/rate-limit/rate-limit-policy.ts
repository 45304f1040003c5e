// Policy for rate limits and quotas. A rule matches calls by server and tool (per user) or by client;
// each matching rule keeps its own bucket and its own daily count for every user × server × tool
// (or every client), so one heavy user or one runaway agent cannot use up the others' allowance.
import { z } from 'zod';

const Pattern = z.string().regex(/^[A-Za-z0-9_.\/*?-]{1,128}$/, { error: 'must be a name or a pattern with * and ?' });

const LimitFields = {
  perMinute: z.number().positive().max(1_000_000).optional().describe('Sustained calls per minute (the bucket refills at this rate).'),
  burst: z.int().min(1).max(100_000).optional().describe('Calls allowed at once before the rate applies; defaults to perMinute.'),
  perDay: z.int().min(1).max(100_000_000).optional().describe('Calls per UTC day.'),
};

function atLeastOneLimit(rule: { perMinute?: number | undefined; perDay?: number | undefined }): boolean {
  return rule.perMinute !== undefined || rule.perDay !== undefined;
}

export const ToolRateRuleSchema = z
  .strictObject({ server: Pattern.default('*'), tool: Pattern.default('*'), ...LimitFields })
  .refine(atLeastOneLimit, { error: 'set perMinute, perDay or both' });

export const ClientRateRuleSchema = z
  .strictObject({ client: Pattern.default('*'), ...LimitFields })
  .refine(atLeastOneLimit, { error: 'set perMinute, perDay or both' });

export const RateLimitsSchema = z.strictObject({
  tools: z.array(ToolRateRuleSchema).max(200).default(() => []).describe('Limits per user × server × tool.'),
  clients: z.array(ClientRateRuleSchema).max(200).default(() => []).describe('Limits per registered client.'),
});

export type RateLimitsPolicy = z.output<typeof RateLimitsSchema>;
export type ToolRateRule = z.output<typeof ToolRateRuleSchema>;
export type ClientRateRule = z.output<typeof ClientRateRuleSchema>;
