import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemorySecretStore } from '../../../../main/core/secrets/memory-secret-store.js';

test('stores, replaces and deletes secrets, and reports the memory backend', async () => {
  const store = new MemorySecretStore();
  assert.equal(await store.get('idp'), undefined);
  await store.set('idp', 'one');
  await store.set('idp', 'two');
  assert.equal(await store.get('idp'), 'two');
  await store.delete('idp');
  await store.delete('idp');
  assert.equal(await store.get('idp'), undefined);
  assert.deepEqual(store.status(), { backend: 'memory' });
});
