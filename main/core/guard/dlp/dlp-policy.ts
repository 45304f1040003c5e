// The `dlp` section of the policy, proposed as a top-level key:
//
//   "dlp": {
//     "defaultAction": "redact",                       // replaces every detector's own default
//     "detectors": { "email-address": { "action": "log" } },
//     "disabled": ["ipv4-address"],
//     "custom": [{ "id": "acme-employee-id", "pattern": "\\bEMP-[0-9]{6}\\b", "action": "redact" }],
//     "servers": { "crm": { "defaultAction": "block", "detectors": { "email-address": { "action": "ask" } } } }
//   }
//
// For a finding on a server, the first of these that is set decides: the server's setting for the
// detector, the server's default, the policy's setting for the detector, the policy's default, the
// detector's own default. Strict like the rest of the policy; custom patterns must be provably
// linear-time (pattern-safety.ts). This file must not import policy/schema.ts, which imports it.
import { z } from 'zod';
import { strictObject } from '../../policy/strict-object.js';
import { DLP_ACTIONS } from './detector.js';
import { BUILTIN_DETECTOR_IDS } from './detectors/index.js';
import { patternProblem } from './pattern-safety.js';

const SERVER_ID = /^[a-z0-9-]{1,24}$/;
const DETECTOR_ID = /^[a-z0-9][a-z0-9-]{1,63}$/;
export const CUSTOM_VALIDATORS = ['luhn', 'mod97', 'verhoeff', 'aba', 'entropy'] as const;
export const MAX_CUSTOM_RULES = 100;


const ActionSchema = z.enum(DLP_ACTIONS, { error: `must be one of: ${DLP_ACTIONS.map((a) => JSON.stringify(a)).join(', ')}` }).describe(
  'block: refuse the call; redact: replace the match and send the call; ask: the user decides, seeing the match masked; log: only record it.',
);
const DetectorIdSchema = z.string().regex(DETECTOR_ID, { error: 'must be a detector id: 2 to 64 lowercase letters, digits or hyphens' });
const OverridesSchema = z.record(DetectorIdSchema, strictObject({ action: ActionSchema })).describe('Detector id → the action for its findings.');
const DisabledSchema = z.array(DetectorIdSchema).max(200).describe('Detectors that do not run.');

const CustomRuleSchema = strictObject({
  id: DetectorIdSchema.describe('Stable id, shown in audit records and redaction markers ([REDACTED:<id>]).'),
  title: z.string().min(1).max(80).optional().describe('What the rule finds, in words shown to users.'),
  pattern: z
    .string()
    .min(1)
    .max(2000)
    .describe(
      'A JavaScript regular expression that provably runs in linear time: bounded repetition ({1,64}, not + or *), ' +
        'no lookarounds or backreferences, and choices the next character decides.',
    ),
  ignoreCase: z.boolean().default(false),
  keywords: z
    .array(z.string().regex(/^[\x20-\x7e]{2,64}$/, { error: 'must be 2 to 64 printable ASCII characters' }))
    .max(20)
    .optional()
    .describe('When set, a match counts only when one of these words (any case) comes shortly before it, or the value is in a property named like one.'),
  keywordWindow: z.int().min(1).max(500).default(64).describe('How many characters before a match a keyword may end.'),
  validator: z.enum(CUSTOM_VALIDATORS).optional().describe('A check the matched value must pass: luhn, mod97 (ISO 7064 as in IBANs), verhoeff, aba (US routing), entropy (looks random).'),
  action: ActionSchema,
}).superRefine((rule, ctx) => {
  const problem = patternProblem(rule.pattern, rule.ignoreCase);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem, input: rule.pattern });
});

const ServerDlpSchema = strictObject({
  defaultAction: ActionSchema.optional().describe("The action for this server's findings unless set per detector below."),
  detectors: OverridesSchema.optional(),
  disabled: DisabledSchema.optional(),
});

export const DlpPolicySchema = strictObject({
  enabled: z.boolean().default(true).describe('Scan tool-call arguments and elicitation answers for sensitive data.'),
  defaultAction: ActionSchema.optional().describe("Replaces every detector's own default action."),
  detectors: OverridesSchema.default(() => ({})),
  disabled: DisabledSchema.default(() => []),
  custom: z.array(CustomRuleSchema).max(MAX_CUSTOM_RULES).default(() => []).describe("The organisation's own detectors."),
  servers: z
    .record(z.string().regex(SERVER_ID, { error: 'must be a server id' }), ServerDlpSchema)
    .default(() => ({}))
    .describe('Server id → actions for calls to that server.'),
}).superRefine(addDetectorReferenceIssues, { when: () => true });

export type DlpPolicy = z.output<typeof DlpPolicySchema>;
export type DlpPolicyInput = z.input<typeof DlpPolicySchema>;
export type CustomRule = z.output<typeof CustomRuleSchema>;
export type ServerDlpPolicy = z.output<typeof ServerDlpSchema>;

export const DEFAULT_DLP_POLICY: DlpPolicy = DlpPolicySchema.parse({});

function addDetectorReferenceIssues(value: unknown, ctx: z.RefinementCtx): void {
  if (typeof value !== 'object' || value === null) return;
  const policy = value as Record<string, unknown>;
  const custom = Array.isArray(policy['custom']) ? (policy['custom'] as unknown[]) : [];
  const known = new Set(BUILTIN_DETECTOR_IDS);
  const firstIndexOfId = new Map<string, number>();
  custom.forEach((rule, index) => {
    const id = typeof rule === 'object' && rule !== null ? (rule as Record<string, unknown>)['id'] : undefined;
    if (typeof id !== 'string') return;
    if (BUILTIN_DETECTOR_IDS.includes(id)) {
      ctx.addIssue({ code: 'custom', path: ['custom', index, 'id'], message: `"${id}" is a built-in detector; choose another id for the custom rule`, input: id });
    } else if (firstIndexOfId.has(id)) {
      ctx.addIssue({ code: 'custom', path: ['custom', index, 'id'], message: `duplicate custom rule id "${id}" (already used by custom[${firstIndexOfId.get(id)}])`, input: id });
    } else {
      firstIndexOfId.set(id, index);
    }
    known.add(id);
  });
  const checkIds = (ids: unknown, path: (string | number)[], asKeys: boolean): void => {
    const list = asKeys ? (typeof ids === 'object' && ids !== null ? Object.keys(ids) : []) : Array.isArray(ids) ? ids : [];
    list.forEach((id, index) => {
      if (typeof id === 'string' && !known.has(id)) {
        ctx.addIssue({ code: 'custom', path: [...path, asKeys ? id : index], message: `unknown detector "${id}"; it must be a built-in detector id or the id of a custom rule`, input: id });
      }
    });
  };
  checkIds(policy['detectors'], ['detectors'], true);
  checkIds(policy['disabled'], ['disabled'], false);
  const servers = policy['servers'];
  if (typeof servers === 'object' && servers !== null) {
    for (const [serverId, server] of Object.entries(servers)) {
      if (typeof server !== 'object' || server === null) continue;
      checkIds((server as Record<string, unknown>)['detectors'], ['servers', serverId, 'detectors'], true);
      checkIds((server as Record<string, unknown>)['disabled'], ['servers', serverId, 'disabled'], false);
    }
  }
}
