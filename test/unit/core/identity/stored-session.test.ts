import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionVault } from '../../../../main/core/identity/stored-session.js';
import { silentLogger } from '../../../../main/core/ports/logger.js';
import type { SecretStore } from '../../../../main/core/ports/secret-store.js';
import { MemorySecretStore } from '../../../../main/core/secrets/memory-secret-store.js';

const session = { refreshToken: 'rt', idToken: 'a.b.c', idTokenExpiresAt: 2, accessTokenExpiresAt: 1, updatedAt: 3 };

test('round-trips the sign-in as one entry named after the client and issuer', async () => {
  const secrets = new MemorySecretStore();
  const vault = new SessionVault(secrets, 'https://idp.example.com', 'gatehouse', silentLogger);
  await vault.save(session);
  assert.equal(vault.account, 'gatehouse.identity:gatehouse@https://idp.example.com');
  assert.deepEqual(await vault.load(), session);
  await vault.wipe();
  assert.equal(await vault.load(), undefined);
  assert.equal(await secrets.get(vault.account), undefined);
});

test('ignores an entry written for another issuer or that does not parse', async () => {
  const secrets = new MemorySecretStore();
  const vault = new SessionVault(secrets, 'https://idp.example.com', 'gatehouse', silentLogger);
  await secrets.set(vault.account, JSON.stringify({ version: 1, issuer: 'https://other.example.com', clientId: 'gatehouse', ...session }));
  assert.equal(await vault.load(), undefined);
  await secrets.set(vault.account, 'not json');
  assert.equal(await vault.load(), undefined);
  await secrets.set(vault.account, JSON.stringify({ version: 1, issuer: 'https://idp.example.com', clientId: 'gatehouse' }));
  assert.equal(await vault.load(), undefined);
});

test('a failing secret store surfaces as GATEHOUSE_KEYCHAIN_UNAVAILABLE', async () => {
  const broken: SecretStore = {
    get: () => Promise.reject(new Error('dbus gone')),
    set: () => Promise.reject(new Error('dbus gone')),
    delete: () => Promise.reject(new Error('dbus gone')),
    status: () => ({ backend: 'keychain' }),
  };
  const vault = new SessionVault(broken, 'https://idp.example.com', 'gatehouse', silentLogger);
  await assert.rejects(vault.load(), { code: 'GATEHOUSE_KEYCHAIN_UNAVAILABLE' });
  await assert.rejects(vault.save(session), { code: 'GATEHOUSE_KEYCHAIN_UNAVAILABLE' });
});
