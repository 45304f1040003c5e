// KeyringSecretStore against a real, unlocked Secret Service (gnome-keyring on a private bus).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AsyncEntry } from '@napi-rs/keyring';
import { chunkAccount } from '../../../../main/core/secrets/chunked-value.js';
import { KeyringSecretStore } from '../../../../main/core/secrets/keyring-secret-store.js';
import { pointThisProcessAt, startSecretService, type PrivateSecretService } from '../../../helpers/secret-service.js';
import { filesContaining } from './files-containing.js';

const SERVICE = `gatehouse-test-${randomUUID()}`;

/** An OAuth token set of about 8 KB, with characters outside the BMP to test chunk boundaries. */
function tokenSet(): string {
  return JSON.stringify({
    access_token: 'eyJ' + 'A'.repeat(3000),
    refresh_token: 'rt-' + randomUUID().repeat(60),
    id_token: '🔑é' + 'B'.repeat(1500) + '🔐'.repeat(300),
    token_type: 'Bearer',
    expires_at: 1_800_000_000,
  });
}

/** The raw keychain entry, bypassing the store's layout. */
function raw(name: string): AsyncEntry {
  return new AsyncEntry(SERVICE, name, { linux: { store: 'secret-service' } });
}

describe('the keychain store on a real Secret Service', () => {
  let secretService: PrivateSecretService;
  let store: KeyringSecretStore;

  before(async () => {
    secretService = await startSecretService();
    pointThisProcessAt(secretService.env);
    store = new KeyringSecretStore({ service: SERVICE });
  });
  after(() => secretService?.stop());

  test('stores, reads, replaces and deletes a secret in the keyring', async () => {
    await store.set('idp-refresh', 'rt-1');
    assert.equal(await store.get('idp-refresh'), 'rt-1');
    assert.ok((await raw('idp-refresh').getPassword())?.endsWith('rt-1'), 'the entry is in the keyring itself');
    await store.set('idp-refresh', 'rt-2');
    assert.equal(await store.get('idp-refresh'), 'rt-2');
    await store.delete('idp-refresh');
    assert.equal(await store.get('idp-refresh'), undefined);
    assert.equal(await raw('idp-refresh').getPassword(), null);
  });

  test('reads a missing secret as undefined, and deleting it is no error', async () => {
    assert.equal(await store.get('never-stored'), undefined);
    await store.delete('never-stored');
  });

  test('reports the keychain backend', () => {
    assert.deepEqual(store.status(), { backend: 'keychain' });
  });

  test('stores an 8 KB token set in entries small enough for Windows, and reads it back whole', async () => {
    const secret = tokenSet();
    await store.set('upstream-github', secret);
    assert.equal(await store.get('upstream-github'), secret);
    const head = await raw('upstream-github').getPassword();
    assert.match(head ?? '', /^gh1#/);
    const chunks: string[] = [];
    for (let i = 1; ; i++) {
      const chunk = await raw(chunkAccount('upstream-github', i)).getPassword();
      if (chunk === null) break;
      chunks.push(chunk);
    }
    assert.ok(chunks.length >= 8, `${chunks.length} chunks`);
    for (const entry of [head ?? '', ...chunks]) assert.ok(entry.length <= 1280, `an entry of ${entry.length} UTF-16 units`);
    assert.equal(chunks.join(''), secret);
  });

  test('replacing a long secret by a short one leaves none of its chunks behind', async () => {
    await store.set('upstream-linear', tokenSet());
    await store.set('upstream-linear', 'short');
    assert.equal(await store.get('upstream-linear'), 'short');
    assert.equal(await raw(chunkAccount('upstream-linear', 1)).getPassword(), null);
    assert.equal(await raw(chunkAccount('upstream-linear', 2)).getPassword(), null);
  });

  test('deleting a long secret removes its manifest and every chunk', async () => {
    await store.set('oauth-client', tokenSet());
    await store.delete('oauth-client');
    assert.equal(await store.get('oauth-client'), undefined);
    assert.equal(await raw('oauth-client').getPassword(), null);
    assert.equal(await raw(chunkAccount('oauth-client', 1)).getPassword(), null);
  });

  test('reads a long secret whose chunks were changed behind its back as missing, not as a corrupt token', async () => {
    await store.set('torn', tokenSet());
    await raw(chunkAccount('torn', 2)).setPassword('written by someone else');
    assert.equal(await store.get('torn'), undefined);
    await store.delete('torn');
  });

  test('concurrent writes to one account apply in order, and the last value reads back whole', async () => {
    const values = [tokenSet(), 'small', tokenSet() + 'x', tokenSet() + 'y'];
    await Promise.all(values.map((value) => store.set('raced', value)));
    assert.equal(await store.get('raced'), values.at(-1));
    await store.delete('raced');
  });

  test('refuses an account name that could collide with a chunk entry', async () => {
    await assert.rejects(store.set('a#1', 'x'), { code: 'GATEHOUSE_INTERNAL' });
    await assert.rejects(store.get(''), { code: 'GATEHOUSE_INTERNAL' });
  });

  test('no secret reaches a file in plain text: the keyring encrypts what it writes', async () => {
    const secret = `plain-text-check-${randomUUID()}`;
    await store.set('disk-check', secret);
    assert.deepEqual(await filesContaining(secretService.root, secret), []);
    await store.delete('disk-check');
  });
});
