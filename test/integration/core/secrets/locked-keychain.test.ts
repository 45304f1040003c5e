// openSecretStore when the keyring is there but locked, then when it stops answering altogether
// (the daemon is frozen, as when an unlock prompt waits for nobody). Neither may hang Gatehouse.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Logger } from '../../../../main/core/ports/logger.js';
import { openSecretStore } from '../../../../main/core/secrets/open-secret-store.js';
import { KeyringSecretStore } from '../../../../main/core/secrets/keyring-secret-store.js';
import { pointThisProcessAt, startSecretService, type PrivateSecretService } from '../../../helpers/secret-service.js';

const SERVICE = `gatehouse-test-${randomUUID()}`;

function countingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, log: (level, message) => void (level === 'warn' && warnings.push(message)) };
}

describe('opening the secret store with a locked or silent keyring', () => {
  let secretService: PrivateSecretService;

  before(async () => {
    secretService = await startSecretService();
    pointThisProcessAt(secretService.env);
    await new KeyringSecretStore({ service: SERVICE }).set('idp-refresh', 'stored-while-unlocked');
    await secretService.lock();
  });
  after(() => secretService?.stop());

  test('a locked keyring: falls back to memory at once, without waiting for the timeout', async () => {
    const logger = countingLogger();
    const started = Date.now();
    const store = await openSecretStore({ service: SERVICE, logger, timeoutMs: 5_000 });
    assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
    assert.equal(store.status().backend, 'memory');
    assert.match(store.status().problem ?? '', /unlock prompt was dismissed/);
    assert.equal(logger.warnings.length, 1);
    // The secret in the locked keyring is out of reach: the user signs in again.
    assert.equal(await store.get('idp-refresh'), undefined);
    await store.set('idp-refresh', 'kept-in-memory');
    assert.equal(await store.get('idp-refresh'), 'kept-in-memory');
    assert.equal(logger.warnings.length, 1);
  });

  test('a keyring that stops answering: falls back to memory within a bounded time', async () => {
    secretService.freeze();
    const logger = countingLogger();
    const started = Date.now();
    const store = await openSecretStore({ service: SERVICE, logger, timeoutMs: 1_000 });
    assert.ok(Date.now() - started < 8_000, `took ${Date.now() - started} ms`);
    assert.equal(store.status().backend, 'memory');
    assert.equal(logger.warnings.length, 1);
    await store.set('upstream', 'kept-in-memory');
    assert.equal(await store.get('upstream'), 'kept-in-memory');
  });
});
