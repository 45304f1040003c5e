import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { DlpPolicySchema } from '../../../../../main/core/guard/dlp/dlp-policy.js';

function issues(input: unknown): string[] {
  const result = DlpPolicySchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

test('an empty section turns DLP on with every detector at its own default', () => {
  assert.deepEqual(DlpPolicySchema.parse({}), { enabled: true, detectors: {}, disabled: [], custom: [], servers: {} });
});

test('accepts overrides per detector and per server, and custom rules', () => {
  const policy = DlpPolicySchema.parse({
    defaultAction: 'redact',
    detectors: { 'email-address': { action: 'log' } },
    disabled: ['ipv4-address'],
    custom: [{ id: 'acme-employee-id', pattern: '\\bEMP-[0-9]{6}\\b', keywords: ['employee'], validator: 'luhn', action: 'redact' }],
    servers: { crm: { defaultAction: 'block', detectors: { 'acme-employee-id': { action: 'ask' } }, disabled: ['phone-number'] } },
  });
  assert.equal(policy.custom[0]!.ignoreCase, false);
  assert.equal(policy.custom[0]!.keywordWindow, 64);
});

test('refuses misspelt keys, unknown actions and unknown detectors with clear messages', () => {
  assert.deepEqual(issues({ detector: {} }), [': "detector" is not a Gatehouse policy setting; check its spelling or remove it']);
  assert.match(issues({ defaultAction: 'deny' })[0]!, /defaultAction: must be one of: "log", "redact", "ask", "block"/);
  assert.deepEqual(issues({ detectors: { 'aws-key': { action: 'log' } } }), ['detectors.aws-key: unknown detector "aws-key"; it must be a built-in detector id or the id of a custom rule']);
  assert.deepEqual(issues({ servers: { crm: { disabled: ['nope'] } } }), ['servers.crm.disabled.0: unknown detector "nope"; it must be a built-in detector id or the id of a custom rule']);
});

test('refuses a custom pattern that could backtrack, saying how to fix it', () => {
  const [issue] = issues({ custom: [{ id: 'bad', pattern: '(a+)+b', action: 'block' }] });
  assert.match(issue!, /^custom\.0\.pattern: repeats 'a' without a limit \('\+'\); give it an upper bound such as \{1,64\}/);
  assert.match(issues({ custom: [{ id: 'bad', pattern: '([', action: 'block' }] })[0]!, /not a valid regular expression/);
});

test('refuses custom ids that clash with a built-in or with each other', () => {
  assert.deepEqual(issues({ custom: [{ id: 'jwt', pattern: 'ACME-[0-9]{4}', action: 'log' }] }), ['custom.0.id: "jwt" is a built-in detector; choose another id for the custom rule']);
  const rule = { id: 'acme', pattern: 'ACME-[0-9]{4}', action: 'log' };
  assert.deepEqual(issues({ custom: [rule, rule] }), ['custom.1.id: duplicate custom rule id "acme" (already used by custom[0])']);
});

test('exports as JSON Schema for admins', () => {
  const schema = z.toJSONSchema(DlpPolicySchema, { io: 'input' }) as { properties: Record<string, unknown> };
  assert.deepEqual(Object.keys(schema.properties).sort(), ['custom', 'defaultAction', 'detectors', 'disabled', 'enabled', 'servers']);
});
