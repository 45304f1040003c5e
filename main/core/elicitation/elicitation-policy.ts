// Who shows a server's questions (MCP elicitation) to the user. `client`: relayed to the IDE when it
// declared the capability. `gatehouse`: shown by Gatehouse itself, as the user's own trusted UI, and
// declared upstream whatever the IDE supports; the answer is validated before it goes upstream.
import { z } from 'zod';

export const DEFAULT_ELICITATION_TIMEOUT_SECONDS = 600;

export const ElicitationSchema = z.strictObject({
  handler: z.enum(['client', 'gatehouse']).default('client').describe('Who shows elicitation requests from servers.'),
  timeoutSeconds: z.int().min(10).max(3_600).default(DEFAULT_ELICITATION_TIMEOUT_SECONDS).describe('No answer within this time counts as cancel.'),
});

export type ElicitationPolicy = z.output<typeof ElicitationSchema>;
