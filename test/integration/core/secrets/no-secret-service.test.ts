// openSecretStore when no keychain can be reached: a D-Bus session without a Secret Service on it
// (in this process), and no D-Bus session at all (in a child process).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Logger, LogLevel } from '../../../../main/core/ports/logger.js';
import type { SecretStore } from '../../../../main/core/ports/secret-store.js';
import { openSecretStore } from '../../../../main/core/secrets/open-secret-store.js';
import { pointThisProcessAt, startSecretService, unreachableBusAddress, type PrivateSecretService } from '../../../helpers/secret-service.js';
import { filesContaining } from './files-containing.js';
import { runStoreInChild } from './store-in-child.js';

describe('opening the secret store where no Secret Service runs', () => {
  let secretService: PrivateSecretService;
  let store: SecretStore;
  const lines: { level: LogLevel; text: string }[] = [];
  const logger: Logger = { log: (level, message, fields) => void lines.push({ level, text: message + JSON.stringify(fields) }) };

  before(async () => {
    secretService = await startSecretService({ keyring: 'absent' });
    pointThisProcessAt(secretService.env);
    store = await openSecretStore({ service: `gatehouse-test-${randomUUID()}`, logger });
  });
  after(() => secretService?.stop());

  test('falls back to memory at start and says why, what it costs and how to fix it', () => {
    const { backend, problem } = store.status();
    assert.equal(backend, 'memory');
    assert.match(problem ?? '', /org\.freedesktop\.secrets/);
    assert.match(problem ?? '', /kept in memory only: they are lost when Gatehouse quits, and you will be asked to sign in again/);
    assert.match(problem ?? '', /Secret Service provider \(GNOME Keyring or KWallet\)/);
  });

  test('logs one warning line, before any secret is stored', () => {
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.level, 'warn');
  });

  test('keeps working in memory for get, set and delete, without logging again', async () => {
    assert.equal(await store.get('idp-refresh'), undefined);
    await store.set('idp-refresh', 'memory-secret-1');
    await store.set('upstream', 'memory-secret-2');
    assert.equal(await store.get('idp-refresh'), 'memory-secret-1');
    await store.delete('idp-refresh');
    assert.equal(await store.get('idp-refresh'), undefined);
    assert.equal(await store.get('upstream'), 'memory-secret-2');
    assert.equal(lines.length, 1);
    assert.ok(!lines.some((line) => line.text.includes('memory-secret')), 'a log line contains a secret');
  });

  test('without any D-Bus session, a Gatehouse process keeps its secret in memory and writes it to no file', async (t) => {
    const home = await mkdtemp(path.join(tmpdir(), 'gatehouse-no-bus-'));
    t.after(() => rm(home, { recursive: true, force: true }));
    const dirs = { HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config'), TMPDIR: path.join(home, 'tmp') };
    const dataDir = path.join(home, 'gatehouse-data');
    for (const dir of [dirs.XDG_DATA_HOME, dirs.XDG_CONFIG_HOME, dirs.TMPDIR, dataDir]) await mkdir(dir);
    const secret = `refresh-${randomUUID()}`;
    const child = await runStoreInChild({ ...dirs, GATEHOUSE_DATA_DIR: dataDir, DBUS_SESSION_BUS_ADDRESS: unreachableBusAddress(home) }, `gatehouse-test-${randomUUID()}`, [
      ['set', 'idp-refresh', secret],
      ['get', 'idp-refresh'],
    ]);
    assert.equal(child.status.backend, 'memory');
    assert.match(child.status.problem ?? '', /Failed to connect to socket/);
    assert.deepEqual(child.results, [null, secret]);
    assert.equal(child.stderr.match(/warn: OS keychain unavailable/g)?.length, 1, child.stderr);
    assert.ok(!child.stderr.includes(secret), 'the log contains the secret');
    assert.deepEqual(await filesContaining(home, secret), []);
    assert.deepEqual(await readdir(dataDir), []);
  });
});
