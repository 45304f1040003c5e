// openSecretStore when the keychain works: a real, unlocked Secret Service on a private bus.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AsyncEntry } from '@napi-rs/keyring';
import type { Logger } from '../../../../main/core/ports/logger.js';
import { PROBE_ACCOUNT } from '../../../../main/core/secrets/fallback-secret-store.js';
import { openSecretStore } from '../../../../main/core/secrets/open-secret-store.js';
import { pointThisProcessAt, startSecretService, type PrivateSecretService } from '../../../helpers/secret-service.js';
import { filesContaining } from './files-containing.js';
import { runStoreInChild } from './store-in-child.js';

describe('opening the secret store with a working keychain', () => {
  let secretService: PrivateSecretService;

  before(async () => {
    secretService = await startSecretService();
    pointThisProcessAt(secretService.env);
  });
  after(() => secretService?.stop());

  test('uses the keychain, logs nothing, and leaves no probe entry behind', async () => {
    const service = `gatehouse-test-${randomUUID()}`;
    const lines: string[] = [];
    const logger: Logger = { log: (level, message) => void lines.push(`${level}: ${message}`) };
    const store = await openSecretStore({ service, logger });
    assert.deepEqual(store.status(), { backend: 'keychain' });
    assert.deepEqual(lines, []);
    const probe = new AsyncEntry(service, PROBE_ACCOUNT, { linux: { store: 'secret-service' } });
    assert.equal(await probe.getPassword(), null);
  });

  test('a secret stored by one Gatehouse process is read by the next, and is in no file in plain text', async () => {
    const service = `gatehouse-test-${randomUUID()}`;
    const secret = `refresh-${randomUUID()}`;
    const first = await runStoreInChild({ ...secretService.env }, service, [['set', 'idp-refresh', secret]]);
    assert.deepEqual(first.status, { backend: 'keychain' });
    assert.equal(first.stderr, '');
    const next = await runStoreInChild({ ...secretService.env }, service, [['get', 'idp-refresh'], ['delete', 'idp-refresh'], ['get', 'idp-refresh']]);
    assert.deepEqual(next.results, [secret, null, null]);
    assert.deepEqual(await filesContaining(secretService.root, secret), []);
  });
});
