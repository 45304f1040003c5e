import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGatehouseError } from '../../../../common/errors.js';
import { PolicyInvalidError } from '../../../../main/core/policy/policy-invalid-error.js';

const issues = [
  { path: '$.servers[0].url', message: 'must use https (http is allowed only for loopback addresses)' },
  { path: '$.version', message: 'is required: set "version": 1' },
];

test('is a GatehouseError with the policy-invalid code', () => {
  const error = new PolicyInvalidError('/etc/gatehouse/policy.json', issues);
  assert.ok(isGatehouseError(error));
  assert.equal(error.code, 'GATEHOUSE_POLICY_INVALID');
});

test('lists every issue as "path: message" in its message, after the source', () => {
  const error = new PolicyInvalidError('/etc/gatehouse/policy.json', issues);
  assert.equal(
    error.message,
    [
      'The Gatehouse policy from /etc/gatehouse/policy.json is invalid (2 problems); fix each and start Gatehouse again:',
      '  $.servers[0].url: must use https (http is allowed only for loopback addresses)',
      '  $.version: is required: set "version": 1',
    ].join('\n'),
  );
});

test('carries the source and the issues for programs to show their own way', () => {
  const error = new PolicyInvalidError('--policy p.json', issues.slice(0, 1));
  assert.equal(error.source, '--policy p.json');
  assert.deepEqual(error.issues, issues.slice(0, 1));
  assert.match(error.message, /\(1 problem\); fix it/);
});
