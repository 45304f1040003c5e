import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RoleToolAccess, toolAccessFor, OPEN_TOOL_ACCESS } from '../../../../main/core/guard/tool-access.js';
import { compileToolPattern } from '../../../../main/core/guard/tool-pattern.js';
import { PolicySchema } from '../../../../main/core/policy/schema.js';

const policy = PolicySchema.parse({
  version: 1,
  identity: { issuer: 'https://login.example.com', clientId: 'c' },
  roles: { developer: ['logs.read', 'analytics.query'], sre: ['logs.read', 'incidents.trigger'] },
  servers: [
    { id: 'logs', url: 'https://logs.example.com/mcp', auth: { mode: 'none' }, tools: [{ match: 'read_*', scope: 'logs.read' }, { match: '*', scope: 'logs.admin' }] },
    { id: 'open', url: 'https://open.example.com/mcp', auth: { mode: 'none' } },
  ],
});

describe('tool patterns', () => {
  test('match whole names with * and ? only', () => {
    const p = compileToolPattern('read_*');
    assert.ok(p('read_logs'));
    assert.ok(p('read_'));
    assert.ok(!p('xread_logs'));
    assert.ok(compileToolPattern('get_?')('get_a'));
    assert.ok(!compileToolPattern('get_?')('get_ab'));
    assert.ok(compileToolPattern('a.b')('a.b'));
    assert.ok(!compileToolPattern('a.b*')('axb'), 'a dot is a dot, not any character');
    assert.ok(compileToolPattern('*')('anything at all'));
  });

  test('take linear time on adversarial names', () => {
    const p = compileToolPattern('*a*a*a*a*a*a*a*a*b');
    const started = performance.now();
    assert.ok(!p('a'.repeat(5000)));
    assert.ok(performance.now() - started < 1000);
  });
});

describe('role-based tool access', () => {
  test('the first matching rule decides the scope', () => {
    const access = new RoleToolAccess(policy, { roles: () => ['developer'] });
    assert.equal(access.scopeFor('logs', 'read_errors'), 'logs.read');
    assert.equal(access.scopeFor('logs', 'delete_all'), 'logs.admin');
    assert.equal(access.scopeFor('open', 'anything'), undefined);
  });

  test('allows what a role grants and refuses the rest with the scope needed', () => {
    const access = new RoleToolAccess(policy, { roles: () => ['developer'] });
    assert.equal(access.check('logs', 'read_errors'), undefined);
    const refusal = access.check('logs', 'delete_all');
    assert.equal(refusal?.code, 'GATEHOUSE_TOOL_NOT_ALLOWED');
    assert.match(refusal?.message ?? '', /needs the scope 'logs\.admin'/);
  });

  test('denies by default: a server without rules opens nothing once identity is on', () => {
    const access = new RoleToolAccess(policy, { roles: () => ['developer', 'sre'] });
    assert.match(access.check('open', 'anything')?.message ?? '', /not granted to anyone by policy/);
  });

  test('unknown roles and no roles grant nothing', () => {
    assert.match(new RoleToolAccess(policy, { roles: () => ['intern'] }).check('logs', 'read_x')?.message ?? '', /your roles \(intern\)/);
    assert.match(new RoleToolAccess(policy, { roles: () => [] }).check('logs', 'read_x')?.message ?? '', /you have no roles/);
  });

  test('asks for sign-in while nobody is signed in', () => {
    assert.equal(new RoleToolAccess(policy, { roles: () => undefined }).check('logs', 'read_x')?.code, 'GATEHOUSE_SIGN_IN_REQUIRED');
  });

  test('a role change takes effect at the next check', () => {
    let roles = ['developer'];
    const access = new RoleToolAccess(policy, { roles: () => roles });
    assert.ok(access.check('logs', 'delete_all'));
    roles = ['developer'];
    assert.ok(access.check('logs', 'delete_all'));
    roles = ['sre'];
    assert.equal(access.check('logs', 'read_x'), undefined);
  });

  test('without identity in policy every tool is open', () => {
    const plain = PolicySchema.parse({ version: 1, servers: [{ id: 'a', url: 'https://a.example.com/mcp', auth: { mode: 'none' } }] });
    assert.equal(toolAccessFor(plain, { roles: () => undefined }), OPEN_TOOL_ACCESS);
  });
});
