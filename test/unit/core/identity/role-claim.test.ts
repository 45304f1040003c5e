import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../../main/core/ports/logger.js';
import { rolesFromClaims } from '../../../../main/core/identity/role-claim.js';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message) => void lines.push(`${level}: ${message}`) };
}

test('reads an array of strings at a top-level claim', () => {
  assert.deepEqual(rolesFromClaims({ groups: ['developer', 'sre'] }, 'groups', recordingLogger()), ['developer', 'sre']);
});

test('follows a dot path into nested claims', () => {
  assert.deepEqual(rolesFromClaims({ realm_access: { roles: ['admin'] } }, 'realm_access.roles', recordingLogger()), ['admin']);
});

test('a single string is one role', () => {
  assert.deepEqual(rolesFromClaims({ role: 'auditor' }, 'role', recordingLogger()), ['auditor']);
});

test('repeated roles are listed once', () => {
  assert.deepEqual(rolesFromClaims({ groups: ['a', 'b', 'a'] }, 'groups', recordingLogger()), ['a', 'b']);
});

for (const [label, claims] of [
  ['a number', { groups: 7 }],
  ['an array with a non-string', { groups: ['ok', 3] }],
  ['an object', { groups: { admin: true } }],
  ['null', { groups: null }],
] as const) {
  test(`${label} at the claim gives no roles and a debug log`, () => {
    const logger = recordingLogger();
    assert.deepEqual(rolesFromClaims(claims, 'groups', logger), []);
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0]!, /^debug: /);
  });
}

test('a missing claim or a path through a non-object gives no roles', () => {
  const logger = recordingLogger();
  assert.deepEqual(rolesFromClaims({}, 'groups', logger), []);
  assert.deepEqual(rolesFromClaims({ realm_access: 'x' }, 'realm_access.roles', logger), []);
  assert.deepEqual(rolesFromClaims({ realm_access: ['roles'] }, 'realm_access.roles', logger), []);
  assert.equal(logger.lines.length, 3);
});

test('does not read inherited properties', () => {
  assert.deepEqual(rolesFromClaims({}, 'constructor.name', recordingLogger()), []);
});
