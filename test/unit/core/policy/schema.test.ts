import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  PolicySchema,
  unknownSettingMessage,
  type Policy,
} from '../../../../main/core/policy/schema.js';
import { minimalPolicy, policyWithServer } from './__fixtures__/policies.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = PolicySchema.safeParse(input);
  assert.equal(result.success, false, 'expected the policy to be rejected');
  return result.error!.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

function issueAt(input: unknown, path: string): string {
  const found = issuesOf(input).find((issue) => issue.path === path);
  assert.ok(found, `no issue at ${path}: ${JSON.stringify(issuesOf(input))}`);
  return found.message;
}

test('exports the documented defaults', () => {
  assert.equal(DEFAULT_PORT, 47474);
  assert.equal(DEFAULT_MAX_BODY_BYTES, 4 * 1024 * 1024);
});

test('fills in defaults so consumers never see undefined settings', () => {
  const policy: Policy = PolicySchema.parse(minimalPolicy());
  const port: number = policy.endpoint.port;
  assert.equal(port, DEFAULT_PORT);
  assert.equal(policy.endpoint.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
  assert.deepEqual(policy.clients, []);
  assert.equal(policy.servers[0]!.transport, 'auto');
  assert.deepEqual(policy.servers[0]!.timeouts, { connectMs: 10_000, requestMs: 60_000 });
});

test('fills in a default left out of a partly written object', () => {
  const policy = PolicySchema.parse({ ...policyWithServer({ timeouts: { requestMs: 5_000 } }), endpoint: { port: 50_000 } });
  assert.deepEqual(policy.endpoint, { port: 50_000, maxBodyBytes: DEFAULT_MAX_BODY_BYTES });
  assert.deepEqual(policy.servers[0]!.timeouts, { connectMs: 10_000, requestMs: 5_000 });
});

test('does not share default objects between parsed policies', () => {
  const first = PolicySchema.parse(minimalPolicy());
  first.clients.push({ name: 'cursor', servers: [] });
  first.endpoint.port = 1;
  const second = PolicySchema.parse(minimalPolicy());
  assert.deepEqual(second.clients, []);
  assert.equal(second.endpoint.port, DEFAULT_PORT);
});

test('accepts a policy with no servers', () => {
  assert.equal(PolicySchema.safeParse({ version: 1, servers: [] }).success, true);
});

test('rejects an unknown top-level key, naming it as not a Gatehouse policy setting', () => {
  const issues = issuesOf({ ...minimalPolicy(), sevrers: [] });
  assert.deepEqual(issues, [{ path: '', message: '"sevrers" is not a Gatehouse policy setting; check its spelling or remove it' }]);
});

test('rejects unknown keys inside every nested object', () => {
  const input = {
    ...policyWithServer({ colour: 'red', auth: { mode: 'none', token: 'x' }, timeouts: { idleMs: 1 } }),
    endpoint: { host: '0.0.0.0' },
    clients: [{ name: 'cursor', servers: [], tools: [] }],
  };
  const paths = issuesOf(input).filter((issue) => issue.message.includes('is not a Gatehouse policy setting')).map((issue) => issue.path);
  assert.deepEqual(paths.sort(), ['clients.0', 'endpoint', 'servers.0', 'servers.0.auth', 'servers.0.timeouts']);
});

test('names several unknown keys in one message', () => {
  assert.equal(unknownSettingMessage(['audti', 'dpl']), '"audti", "dpl" are not Gatehouse policy settings; check their spelling or remove them');
});

test('rejects a policy version other than 1, saying which version this Gatehouse understands', () => {
  assert.equal(issueAt({ ...minimalPolicy(), version: 2 }, 'version'), 'this Gatehouse understands policy version 1 only (got 2)');
  assert.equal(issueAt({ ...minimalPolicy(), version: '1' }, 'version'), 'this Gatehouse understands policy version 1 only (got "1")');
});

test('requires the version', () => {
  const { version: _version, ...rest } = minimalPolicy();
  assert.equal(issueAt(rest, 'version'), 'is required: set "version": 1');
});

test('rejects server ids that are not short lowercase slugs', () => {
  for (const id of ['', 'Everything', 'has space', 'under_score', 'a'.repeat(25)]) {
    assert.equal(issueAt(policyWithServer({ id }), 'servers.0.id'), 'must be 1 to 24 lowercase letters, digits or hyphens', id);
  }
  assert.equal(PolicySchema.safeParse(policyWithServer({ id: 'a'.repeat(24) })).success, true);
});

test('rejects a display name that is empty or longer than 80 characters', () => {
  issueAt(policyWithServer({ name: '' }), 'servers.0.name');
  issueAt(policyWithServer({ name: 'n'.repeat(81) }), 'servers.0.name');
  assert.equal(PolicySchema.safeParse(policyWithServer({ name: 'n'.repeat(80) })).success, true);
});

test('rejects an http server url that is not loopback, at the url path', () => {
  assert.equal(issueAt(policyWithServer({ url: 'http://mcp.example.com/mcp' }), 'servers.0.url'), 'must use https (http is allowed only for loopback addresses)');
});

test('rejects an unknown transport', () => {
  issueAt(policyWithServer({ transport: 'websocket' }), 'servers.0.transport');
});

test('rejects an auth mode this Gatehouse does not support, listing the supported ones', () => {
  const supported = '"none", "idp-audience", "token-exchange", "id-jag", "oauth"';
  assert.equal(issueAt(policyWithServer({ auth: { mode: 'basic' } }), 'servers.0.auth.mode'), `unsupported auth mode "basic"; this Gatehouse supports: ${supported}`);
  assert.equal(issueAt(policyWithServer({ auth: {} }), 'servers.0.auth.mode'), `is required; this Gatehouse supports: ${supported}`);
});

test('requires auth for every server', () => {
  issueAt(policyWithServer({ auth: undefined }), 'servers.0.auth');
});

test('rejects timeouts outside their ranges', () => {
  issueAt(policyWithServer({ timeouts: { connectMs: 0 } }), 'servers.0.timeouts.connectMs');
  issueAt(policyWithServer({ timeouts: { requestMs: 10 } }), 'servers.0.timeouts.requestMs');
  issueAt(policyWithServer({ timeouts: { requestMs: 1.5 } }), 'servers.0.timeouts.requestMs');
});

test('rejects more than 100 servers', () => {
  const servers = Array.from({ length: 101 }, (_, i) => ({ id: `s${i}`, url: 'https://mcp.example.com/', auth: { mode: 'none' } }));
  issueAt({ version: 1, servers }, 'servers');
  assert.equal(PolicySchema.safeParse({ version: 1, servers: servers.slice(0, 100) }).success, true);
});

test('reports a duplicate server id at the duplicate, not the first use', () => {
  const server = { url: 'https://mcp.example.com/', auth: { mode: 'none' } };
  const input = { version: 1, servers: [{ id: 'a', ...server }, { id: 'b', ...server }, { id: 'a', ...server }] };
  assert.deepEqual(issuesOf(input), [{ path: 'servers.2.id', message: 'duplicate server id "a" (already used by servers[0])' }]);
});

test('reports cross-reference problems together with problems elsewhere', () => {
  const input = { ...minimalPolicy(), endpoint: { port: 0 }, clients: [{ name: 'cursor', servers: ['nope'] }] };
  assert.deepEqual(issuesOf(input).map((issue) => issue.path), ['endpoint.port', 'clients.0.servers.0']);
});

test('rejects a client restricted to a server id that does not exist, at that entry', () => {
  const input = { ...minimalPolicy(), clients: [{ name: 'cursor', servers: ['everything', 'missing'] }] };
  assert.deepEqual(issuesOf(input), [{ path: 'clients.0.servers.1', message: 'unknown server id "missing"; it must be the id of an entry in servers' }]);
});

test('rejects the same client listed twice', () => {
  const input = { ...minimalPolicy(), clients: [{ name: 'cursor', servers: [] }, { name: 'cursor', servers: ['everything'] }] };
  assert.match(issueAt(input, 'clients.1.name'), /duplicate client "cursor"/);
});

test('accepts registered client names and rejects others', () => {
  for (const name of ['cursor', 'claude-code', 'vscode.insiders', 'a_b', '0']) {
    assert.equal(PolicySchema.safeParse({ ...minimalPolicy(), clients: [{ name, servers: [] }] }).success, true, name);
  }
  for (const name of ['', 'Cursor', '-cursor', 'c'.repeat(49), 'has space']) {
    issueAt({ ...minimalPolicy(), clients: [{ name, servers: [] }] }, 'clients.0.name');
  }
});

test('rejects an endpoint port or body cap outside its range', () => {
  issueAt({ ...minimalPolicy(), endpoint: { port: 65_536 } }, 'endpoint.port');
  issueAt({ ...minimalPolicy(), endpoint: { maxBodyBytes: 1023 } }, 'endpoint.maxBodyBytes');
  issueAt({ ...minimalPolicy(), endpoint: { maxBodyBytes: 64 * 1024 * 1024 + 1 } }, 'endpoint.maxBodyBytes');
  assert.equal(PolicySchema.safeParse({ ...minimalPolicy(), endpoint: { port: 1, maxBodyBytes: 1024 } }).success, true);
});

test('allows a $schema reference for editors', () => {
  assert.equal(PolicySchema.safeParse({ ...minimalPolicy(), $schema: 'https://gatehouse.dev/schema/policy-v1.json' }).success, true);
});

const identity = { issuer: 'https://login.example.com', clientId: 'gatehouse-desktop' };

test('identity fills in the usual scopes and the groups claim', () => {
  const policy = PolicySchema.parse({ ...minimalPolicy(), identity });
  assert.deepEqual(policy.identity, { ...identity, scopes: ['openid', 'profile', 'email', 'offline_access'], roleClaim: 'groups', extraAuthParams: {} });
  assert.deepEqual(policy.roles, {});
});

test('identity needs an https issuer, openid among the scopes, and leaves the protocol parameters to Gatehouse', () => {
  assert.equal(issueAt({ ...minimalPolicy(), identity: { ...identity, issuer: 'http://login.example.com' } }, 'identity.issuer'), 'must use https (http is allowed only for loopback addresses)');
  assert.equal(issueAt({ ...minimalPolicy(), identity: { ...identity, scopes: ['profile'] } }, 'identity.scopes'), 'must include "openid"');
  assert.equal(issueAt({ ...minimalPolicy(), identity: { ...identity, extraAuthParams: { state: 'x' } } }, 'identity.extraAuthParams.state'), '"state" is set by Gatehouse itself and cannot be overridden');
  assert.equal(issueAt({ ...minimalPolicy(), identity: { ...identity, roleClaim: 'realm access' } }, 'identity.roleClaim'), 'must be a claim name or a dot path such as realm_access.roles');
  assert.equal(PolicySchema.parse({ ...minimalPolicy(), identity: { ...identity, roleClaim: 'realm_access.roles' } }).identity?.roleClaim, 'realm_access.roles');
});

test('every auth mode has its own settings, and the modes built on the sign-in need identity', () => {
  const modes = [
    { mode: 'idp-audience' },
    { mode: 'token-exchange', audience: 'api://logs' },
    { mode: 'id-jag', authorizationServer: 'https://auth.logs.example.com', clientId: 'gatehouse' },
  ];
  for (const auth of modes) {
    assert.equal(PolicySchema.parse({ ...policyWithServer({ auth }), identity }).servers[0]!.auth.mode, auth.mode);
    assert.match(issueAt(policyWithServer({ auth }), 'servers.0.auth.mode'), /add an "identity" section/);
  }
  assert.equal(PolicySchema.parse(policyWithServer({ auth: { mode: 'oauth', scopes: ['read'] } })).servers[0]!.auth.mode, 'oauth');
  assert.match(issueAt(policyWithServer({ auth: { mode: 'id-jag' } }), 'servers.0.auth.authorizationServer'), /./);
  assert.equal(issueAt(policyWithServer({ auth: { mode: 'none', audience: 'x' } }), 'servers.0.auth'), '"audience" is not a Gatehouse policy setting; check its spelling or remove it');
});

test('tool rules and roles need identity, and tool patterns are plain names with * and ?', () => {
  const tools = [{ match: 'read_*', scope: 'logs.read' }, { match: '*', scope: 'logs.admin' }];
  const policy = PolicySchema.parse({ ...policyWithServer({ tools }), identity, roles: { developer: ['logs.read'] } });
  assert.deepEqual(policy.servers[0]!.tools, tools);
  assert.match(issueAt(policyWithServer({ tools }), 'servers.0.tools'), /add an "identity" section/);
  assert.match(issueAt({ ...minimalPolicy(), roles: { developer: ['logs.read'] } }, 'roles'), /add an "identity" section/);
  assert.match(issueAt({ ...policyWithServer({ tools: [{ match: 'read_[a-z]+', scope: 'x' }] }), identity }, 'servers.0.tools.0.match'), /pattern with \* and \?/);
});
