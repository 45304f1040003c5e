import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonPath, parsePolicyText, validatePolicy, type PolicyIssue } from '../../../../main/core/policy/validate.js';
import { minimalPolicy, policyWithServer } from './__fixtures__/policies.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');

function errorsOf(result: ReturnType<typeof validatePolicy>): readonly PolicyIssue[] {
  assert.equal(result.ok, false, 'expected the policy to be rejected');
  return result.ok ? [] : result.errors;
}

test('returns the policy with defaults applied when it is valid', () => {
  const result = validatePolicy(minimalPolicy());
  assert.equal(result.ok, true);
  assert.equal(result.ok && result.policy.endpoint.port, 47474);
});

test('validates the shipped example policy', () => {
  const text = readFileSync(join(root, 'resources', 'policies', 'example.json'), 'utf8');
  const result = parsePolicyText(text, 'resources/policies/example.json');
  assert.deepEqual(result.ok ? [] : result.errors, []);
  assert.equal(result.ok && result.policy.servers.length, 2);
  assert.equal(result.ok && result.policy.clients.length, 1);
});

test('validates the shipped enterprise policy: sign-in, roles, every auth mode', () => {
  const text = readFileSync(join(root, 'resources', 'policies', 'enterprise.json'), 'utf8');
  const result = parsePolicyText(text, 'resources/policies/enterprise.json');
  assert.deepEqual(result.ok ? [] : result.errors, []);
  assert.deepEqual(result.ok && result.policy.servers.map((s) => s.auth.mode), ['token-exchange', 'idp-audience', 'id-jag', 'oauth']);
  assert.equal(result.ok && result.policy.identity?.roleClaim, 'realm_access.roles');
});

test('reports each issue with a JSON path into the policy', () => {
  const errors = errorsOf(validatePolicy(policyWithServer({ url: 'http://mcp.example.com/mcp' })));
  assert.deepEqual(errors, [{ path: '$.servers[0].url', message: 'must use https (http is allowed only for loopback addresses)' }]);
});

test('reports every problem in one pass', () => {
  const input = { version: 2, servers: [{ id: 'Bad', url: 'ftp://x', auth: { mode: 'none' } }], endpoint: { port: 0 } };
  assert.deepEqual(errorsOf(validatePolicy(input)).map((issue) => issue.path), ['$.version', '$.servers[0].id', '$.servers[0].url', '$.endpoint.port']);
});

test('reports one issue per unknown key, each at the key itself', () => {
  const errors = errorsOf(validatePolicy(policyWithServer({ tranport: 'sse', 'odd key': 1 })));
  assert.deepEqual(errors, [
    { path: '$.servers[0].tranport', message: '"tranport" is not a Gatehouse policy setting; check its spelling or remove it' },
    { path: '$.servers[0]["odd key"]', message: '"odd key" is not a Gatehouse policy setting; check its spelling or remove it' },
  ]);
});

test('reports a misspelt audit setting with its path', () => {
  const errors = errorsOf(validatePolicy({ ...minimalPolicy(), audit: { sink: { url: 'https://collector.example.com/v1/logs', fromat: 'otlp' } } }));
  assert.deepEqual(errors, [{ path: '$.audit.sink.fromat', message: '"fromat" is not a Gatehouse policy setting; check its spelling or remove it' }]);
});

test('explains missing and mistyped values in plain words', () => {
  const errors = errorsOf(validatePolicy({ version: 1, servers: [{ id: 'a', url: 42 }], endpoint: { port: 1.5, maxBodyBytes: 'big' } }));
  assert.deepEqual(errors, [
    { path: '$.servers[0].url', message: 'must be a string (got 42)' },
    { path: '$.servers[0].auth', message: 'is required' },
    { path: '$.endpoint.port', message: 'must be an integer (got 1.5)' },
    { path: '$.endpoint.maxBodyBytes', message: 'must be a number (got "big")' },
  ]);
});

test('explains values out of range and not among the allowed ones', () => {
  const errors = errorsOf(validatePolicy({ ...policyWithServer({ name: '', transport: 'ws' }), endpoint: { port: 70_000 } }));
  assert.deepEqual(errors, [
    { path: '$.servers[0].name', message: 'must not be empty' },
    { path: '$.servers[0].transport', message: 'must be one of "auto", "streamable-http", "sse"' },
    { path: '$.endpoint.port', message: 'must be at most 65535' },
  ]);
});

test('rejects a document that is not an object', () => {
  assert.deepEqual(errorsOf(validatePolicy([])), [{ path: '$', message: 'must be an object (got an array)' }]);
  assert.deepEqual(errorsOf(validatePolicy(null)), [{ path: '$', message: 'must be an object (got null)' }]);
});

test('reports a JSON syntax error with its line and column and the source', () => {
  const errors = errorsOf(parsePolicyText('{\n  "version": 1,\n  "servers" []\n}', 'policy.json'));
  assert.deepEqual(errors, [{ path: '$', message: "policy.json is not valid JSON: Expected ':' after property name at line 3, column 13" }]);
});

test('reports truncated JSON at its end', () => {
  const errors = errorsOf(parsePolicyText('{\n  "version": 1,\n', 'policy.json'));
  assert.match(errors[0]!.message, /^policy\.json is not valid JSON: .* at line 3, column 1$/);
});

test('reports JSON that ends early with the position of its end', () => {
  const errors = errorsOf(parsePolicyText('{"version": tru', 'policy.json'));
  assert.match(errors[0]!.message, /^policy\.json is not valid JSON: .*at line 1, column 16$/);
});

test('does not echo the whole document back in a syntax error', () => {
  const errors = errorsOf(parsePolicyText('\n\n }', 'policy.json'));
  assert.equal(errors[0]!.message, "policy.json is not valid JSON: Unexpected token '}'");
});

test('reports an empty policy text as empty rather than as a syntax error', () => {
  assert.deepEqual(errorsOf(parsePolicyText(' \n', 'GATEHOUSE_POLICY=/tmp/p.json')), [
    { path: '$', message: 'GATEHOUSE_POLICY=/tmp/p.json is empty; it must hold a JSON policy object' },
  ]);
});

test('accepts policy text that starts with a byte order mark', () => {
  assert.equal(parsePolicyText('\uFEFF' + JSON.stringify(minimalPolicy()), 'policy.json').ok, true);
});

test('validates parsed text like an object', () => {
  const errors = errorsOf(parsePolicyText(JSON.stringify({ ...minimalPolicy(), version: 3 }), 'policy.json'));
  assert.deepEqual(errors.map((issue) => issue.path), ['$.version']);
});

test('writes JSON paths with dots for names, brackets for indexes and quoted odd names', () => {
  assert.equal(jsonPath([]), '$');
  assert.equal(jsonPath(['servers', 0, 'url']), '$.servers[0].url');
  assert.equal(jsonPath(['$schema']), '$.$schema');
  assert.equal(jsonPath(['a b', 'c"d']), '$["a b"]["c\\"d"]');
});
