// Policy settings for tool pinning and poisoning, proposed as two top-level policy keys:
//
//   "pinning":   { "mode": "first-seen" | "policy", "expected": { "<serverId>": { "<tool>": "<sha256>" | ["<sha256>", ...] } } }
//   "poisoning": { "action": "hide-until-approved" | "flag" }
//
// Strict like the rest of the policy: a misspelt key must fail, not silently leave a control off.
// This file must not import policy/schema.ts, which imports it.
import { z } from 'zod';
import { strictObject } from '../../policy/strict-object.js';

const SERVER_ID = /^[a-z0-9-]{1,24}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;


const Sha256Schema = z
  .string()
  .regex(SHA256_HEX, { error: 'must be a SHA-256 in lowercase hex (64 characters): sha256 of the tool definition as canonical JSON (RFC 8785) without "_meta"' });

export const ExpectedHashesSchema = z
  .union([Sha256Schema, z.array(Sha256Schema).min(1).max(20)])
  .describe('The hash of the one approved definition, or a list of them (for example old and new while servers upgrade).');

export const PinningPolicySchema = strictObject({
  mode: z
    .enum(['first-seen', 'policy'])
    .default('first-seen')
    .describe(
      'first-seen: a tool is pinned the first time it is seen, except on servers listed in "expected". ' +
        'policy: only the hashes in "expected" are trusted; every other tool is quarantined.',
    ),
  expected: z
    .record(z.string(), z.record(z.string().min(1).max(256), ExpectedHashesSchema))
    .superRefine((expected, ctx) => {
      for (const id of Object.keys(expected)) {
        if (!SERVER_ID.test(id)) ctx.addIssue({ code: 'custom', path: [id], message: 'must be a server id: 1 to 24 lowercase letters, digits or hyphens', input: id });
      }
    })
    .default(() => ({}))
    .describe(
      'Server id → tool name → approved hash(es). A listed server is pinned by policy: a tool whose hash is not listed ' +
        'for it is quarantined, and users cannot approve it themselves.',
    ),
});

export const PoisoningPolicySchema = strictObject({
  action: z
    .enum(['hide-until-approved', 'flag'])
    .default('hide-until-approved')
    .describe(
      'hide-until-approved: a tool whose description looks poisoned is hidden and refused until the user approves it. ' +
        'flag: it stays usable, and the user is shown the tool in full with what was found.',
    ),
});

export type PinningPolicy = z.output<typeof PinningPolicySchema>;
export type PoisoningPolicy = z.output<typeof PoisoningPolicySchema>;

export const DEFAULT_PINNING_POLICY: PinningPolicy = { mode: 'first-seen', expected: {} };
export const DEFAULT_POISONING_POLICY: PoisoningPolicy = { action: 'hide-until-approved' };

/**
 * Problems that need the whole policy to see: `expected` naming a server that `servers` does not
 * have (a typo that would otherwise pin nothing). Paths are relative to the `pinning` object.
 */
export function pinningReferenceIssues(pinning: unknown, serverIds: ReadonlySet<string>): Array<{ path: Array<string | number>; message: string }> {
  if (typeof pinning !== 'object' || pinning === null) return [];
  const expected = (pinning as Record<string, unknown>)['expected'];
  if (typeof expected !== 'object' || expected === null) return [];
  return Object.keys(expected)
    .filter((id) => !serverIds.has(id))
    .map((id) => ({ path: ['expected', id], message: `unknown server id "${id}"; it must be the id of an entry in servers` }));
}
