import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DlpPolicySchema, type DlpPolicyInput } from '../../../../../main/core/guard/dlp/dlp-policy.js';
import { dlpGuardStep } from '../../../../../main/core/guard/dlp/dlp-guard-step.js';
import { DlpStep } from '../../../../../main/core/guard/dlp/dlp-step.js';
import { BUILTIN_DETECTORS } from '../../../../../main/core/guard/dlp/detectors/index.js';
import type { GuardedCall } from '../../../../../main/core/guard/call-guard.js';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';

const s = new Synth(23);
const step = (policy: DlpPolicyInput = {}): DlpStep => new DlpStep(DlpPolicySchema.parse(policy));

test('allows arguments without findings, unchanged', () => {
  assert.deepEqual(step().checkToolCall('github', 'search', { q: 'open issues about login', page: 2 }), { kind: 'allow' });
});

test('blocks a secret by default and says what matched, where, and what to do, without the secret', () => {
  const key = s.awsAccessKeyId();
  const decision = step().checkToolCall('github', 'create_file', { path: 'deploy.sh', content: `export AWS_ACCESS_KEY_ID=${key}` });
  assert.equal(decision.kind, 'block');
  if (decision.kind !== 'block') return;
  assert.equal(decision.code, 'GATEHOUSE_DLP_BLOCKED');
  assert.match(decision.message, /^Gatehouse blocked this call to 'create_file' on server 'github' because it contains sensitive data: AWS access key ID at \$\.content \(AKIA…/);
  assert.match(decision.message, /Remove these values from the arguments/);
  assert.match(decision.message, /change the DLP policy for aws-access-key-id\.$/);
  assert.ok(!decision.message.includes(key));
});

test('logs an email address by default and passes the call on', () => {
  const decision = step().checkToolCall('crm', 'send', { to: s.email() });
  assert.equal(decision.kind, 'log');
});

test('redacts when policy says so, replacing only the match', () => {
  const email = s.email();
  const decision = step({ detectors: { 'email-address': { action: 'redact' } } }).checkToolCall('crm', 'send', { to: email, body: 'hello' });
  assert.deepEqual(decision.kind === 'redact' && decision.arguments, { to: '[REDACTED:email-address]', body: 'hello' });
});

test('the strictest action wins, and findings to redact are redacted in what an approved call sends', () => {
  const policy = { detectors: { 'email-address': { action: 'ask' as const }, 'payment-card': { action: 'redact' as const } } };
  const decision = step(policy).checkToolCall('crm', 'note', { to: s.email(), text: `card ${s.card('visa')}` });
  assert.equal(decision.kind, 'ask');
  if (decision.kind !== 'ask') return;
  assert.deepEqual(decision.arguments, { to: (decision.arguments as { to: string }).to, text: 'card [REDACTED:payment-card]' });
  assert.match(decision.question, /^The call to 'note' on server 'crm' contains Email address at \$\.to \(.+….+\) \(1 other value will be redacted\)\. Send it anyway\?$/);
  assert.match(JSON.stringify(decision.maskedArguments), /"to":"\[.+….+\]"/);
});

test('server settings override policy settings, and a server detector setting overrides the server default', () => {
  const policy = step({ detectors: { 'email-address': { action: 'log' } }, servers: { crm: { defaultAction: 'block', detectors: { 'phone-number': { action: 'redact' } } } } });
  assert.equal(policy.actionFor('crm', 'email-address'), 'block');
  assert.equal(policy.actionFor('crm', 'phone-number'), 'redact');
  assert.equal(policy.actionFor('wiki', 'email-address'), 'log');
  assert.equal(policy.checkToolCall('crm', 'send', { to: s.email() }).kind, 'block');
  assert.equal(policy.checkToolCall('wiki', 'send', { to: s.email() }).kind, 'log');
});

test('a global default action replaces the detectors own defaults', () => {
  const policy = step({ defaultAction: 'redact' });
  assert.equal(policy.actionFor('any', 'aws-access-key-id'), 'redact');
  assert.equal(policy.actionFor('any', 'email-address'), 'redact');
});

test('disabled detectors do not run, globally or per server', () => {
  const args = { to: s.email() };
  assert.equal(step({ disabled: ['email-address'] }).checkToolCall('crm', 'send', args).kind, 'allow');
  const perServer = step({ servers: { crm: { disabled: ['email-address'] } } });
  assert.equal(perServer.checkToolCall('crm', 'send', args).kind, 'allow');
  assert.equal(perServer.checkToolCall('wiki', 'send', args).kind, 'log');
});

test('runs custom rules with their keywords, validator and action', () => {
  const policy = step({ custom: [{ id: 'acme-employee-id', title: 'ACME employee id', pattern: '\\bEMP-[0-9]{6}\\b', action: 'block' }, { id: 'acme-account', pattern: '\\b[0-9]{12}\\b', keywords: ['account'], validator: 'luhn', action: 'redact' }] });
  const blocked = policy.checkToolCall('hr', 'lookup', { q: 'who is EMP-004211?' });
  assert.equal(blocked.kind, 'block');
  assert.match(blocked.kind === 'block' ? blocked.message : '', /ACME employee id at \$\.q/);
  assert.equal(policy.checkToolCall('hr', 'lookup', { q: 'account 000000000018' }).kind, 'redact');
  assert.equal(policy.checkToolCall('hr', 'lookup', { q: 'account 000000000019' }).kind, 'allow', 'fails Luhn');
  assert.equal(policy.checkToolCall('hr', 'lookup', { q: 'order 000000000018' }).kind, 'allow', 'no keyword');
});

test('an off switch turns DLP off', () => {
  assert.deepEqual(step({ enabled: false }).checkToolCall('x', 'y', { k: s.awsAccessKeyId() }), { kind: 'allow' });
});

test('blocks when there are too many findings to redact them all', () => {
  const limited = new DlpStep(DlpPolicySchema.parse({ defaultAction: 'redact' }), BUILTIN_DETECTORS, { maxFindings: 2 });
  const decision = limited.checkToolCall('x', 'y', { list: [s.ssn(), s.ssn(), s.ssn()].map((n) => `SSN ${n}`) });
  assert.equal(decision.kind, 'block');
  assert.match(decision.kind === 'block' ? decision.message : '', /more sensitive values than it can check and redact/);
});

test('checks elicitation answers going upstream, with a message about the answer', () => {
  const decision = step().checkElicitationAnswer('github', { token: s.checksummed('ghp_') });
  assert.match(decision.kind === 'block' ? decision.message : '', /^Gatehouse blocked your answer to server 'github' because .* Answer again without these values\./);
});

test('as a guard step: a block refuses with the code and masked findings, a redaction changes the arguments', () => {
  const call = (args: Record<string, unknown>): GuardedCall => ({ clientName: 'cli', user: undefined, serverId: 'crm', toolName: 'send', arguments: args, session: { id: 's', approvals: new Set() } });
  const key = s.awsAccessKeyId();
  const refused = dlpGuardStep(step()).check(call({ k: key }));
  assert.ok(!('then' in refused) && !refused.ok);
  assert.equal(refused.code, 'GATEHOUSE_DLP_BLOCKED');
  assert.ok(!JSON.stringify(refused.data).includes(key));
  const passed = dlpGuardStep(step({ defaultAction: 'redact' })).check(call({ k: key }));
  assert.ok(!('then' in passed) && passed.ok);
  assert.deepEqual(passed.arguments, { k: '[REDACTED:aws-access-key-id]' });
  const asked = dlpGuardStep(step({ defaultAction: 'ask' })).check(call({ k: key }));
  assert.ok(!('then' in asked) && asked.ok && asked.ask?.length === 1);
});
