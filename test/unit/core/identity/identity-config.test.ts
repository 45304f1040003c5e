import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withIdentityDefaults } from '../../../../main/core/identity/identity-config.js';

test('fills in the default scopes, role claim and no extra parameters', () => {
  assert.deepEqual(withIdentityDefaults({ issuer: 'https://idp.example.com', clientId: 'gh' }), {
    issuer: 'https://idp.example.com',
    clientId: 'gh',
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    roleClaim: 'groups',
    extraAuthParams: {},
  });
});

test('adds openid to scopes that lack it', () => {
  assert.deepEqual(withIdentityDefaults({ issuer: 'https://i', clientId: 'c', scopes: ['offline_access'] }).scopes, ['openid', 'offline_access']);
});
