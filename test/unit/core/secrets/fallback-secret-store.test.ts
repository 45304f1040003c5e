import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatehouseError } from '../../../../common/errors.js';
import type { Logger, LogLevel } from '../../../../main/core/ports/logger.js';
import type { SecretStore } from '../../../../main/core/ports/secret-store.js';
import { FallbackSecretStore, PROBE_ACCOUNT } from '../../../../main/core/secrets/fallback-secret-store.js';
import { keychainUnavailable } from '../../../../main/core/secrets/keychain-error.js';

type Behaviour = 'works' | 'fails' | 'hangs';

/** A keychain whose behaviour the test switches; counts the calls that reach it. */
class FakeKeychain implements SecretStore {
  behaviour: Behaviour = 'works';
  failure: unknown = keychainUnavailable('could not be used (test: locked)');
  calls = 0;
  readonly entries = new Map<string, string>();

  get(account: string) {
    return this.call(() => this.entries.get(account));
  }
  set(account: string, secret: string) {
    return this.call(() => void this.entries.set(account, secret));
  }
  delete(account: string) {
    return this.call(() => void this.entries.delete(account));
  }
  status() {
    return { backend: 'keychain' as const };
  }

  private call<T>(action: () => T): Promise<T> {
    this.calls += 1;
    if (this.behaviour === 'hangs') return new Promise<T>(() => {});
    if (this.behaviour === 'fails') return Promise.reject(this.failure);
    return Promise.resolve(action());
  }
}

interface Line {
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  return { lines, log: (level, message, fields) => void lines.push({ level, message, fields }) };
}

function setup(timeoutMs = 1_000) {
  const keychain = new FakeKeychain();
  const logger = recordingLogger();
  const store = new FallbackSecretStore({ keychain, logger, timeoutMs });
  return { keychain, logger, store };
}

function assertToldOnce(logger: { lines: Line[] }, store: SecretStore, secret?: string): void {
  assert.equal(logger.lines.length, 1, JSON.stringify(logger.lines));
  assert.equal(logger.lines[0]?.level, 'warn');
  assert.match(logger.lines[0]?.message ?? '', /memory only/);
  if (secret !== undefined) assert.ok(!JSON.stringify(logger.lines).includes(secret), 'the log line contains the secret');
  const status = store.status();
  assert.equal(status.backend, 'memory');
  assert.match(status.problem ?? '', /kept in memory only/);
  assert.match(status.problem ?? '', /lost when Gatehouse quits/);
  assert.match(status.problem ?? '', /sign in again/);
}

test('uses the keychain while it works, and neither logs nor reports a problem', async () => {
  const { keychain, logger, store } = setup();
  await store.set('idp', 'token-1');
  assert.equal(keychain.entries.get('idp'), 'token-1');
  assert.equal(await store.get('idp'), 'token-1');
  await store.delete('idp');
  assert.equal(keychain.entries.has('idp'), false);
  assert.deepEqual(store.status(), { backend: 'keychain' });
  assert.deepEqual(logger.lines, []);
});

test('switches to memory at the first keychain error, keeps the secret being stored, and says so once', async () => {
  const { keychain, logger, store } = setup();
  keychain.behaviour = 'fails';
  await store.set('idp', 'token-secret-1');
  assert.equal(await store.get('idp'), 'token-secret-1');
  assertToldOnce(logger, store, 'token-secret-1');
  assert.match(store.status().problem ?? '', /test: locked/);
});

test('treats an error the keyring library throws as its own like a keychain error', async () => {
  const { keychain, logger, store } = setup();
  keychain.behaviour = 'fails';
  keychain.failure = new Error('Platform failure: DBus error');
  assert.equal(await store.get('idp'), undefined);
  assertToldOnce(logger, store);
  assert.match(store.status().problem ?? '', /Platform failure: DBus error/);
});

test('gives up on a keychain that does not answer within the timeout', async () => {
  const { keychain, logger, store } = setup(50);
  keychain.behaviour = 'hangs';
  const started = Date.now();
  await store.set('idp', 'token-secret-2');
  assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
  assert.equal(await store.get('idp'), 'token-secret-2');
  assertToldOnce(logger, store, 'token-secret-2');
  assert.match(store.status().problem ?? '', /did not answer within 0\.05 s/);
});

test('after switching, never calls the keychain again and keeps get, set and delete working in memory', async () => {
  const { keychain, store } = setup();
  keychain.behaviour = 'fails';
  await store.get('probe-it');
  const callsAtSwitch = keychain.calls;
  keychain.behaviour = 'works';
  await store.set('a', '1');
  await store.set('b', '2');
  assert.equal(await store.get('a'), '1');
  await store.delete('a');
  assert.equal(await store.get('a'), undefined);
  assert.equal(await store.get('b'), '2');
  assert.equal(keychain.calls, callsAtSwitch);
  assert.deepEqual(keychain.entries, new Map());
  assert.equal(store.status().backend, 'memory');
});

test('keeps the secrets this process already stored or read when it switches mid-session', async () => {
  const { keychain, store } = setup();
  keychain.entries.set('read-earlier', 'r');
  assert.equal(await store.get('read-earlier'), 'r');
  await store.set('stored-earlier', 's');
  await store.set('deleted-earlier', 'd');
  await store.delete('deleted-earlier');
  keychain.behaviour = 'fails';
  assert.equal(await store.get('read-earlier'), 'r');
  assert.equal(await store.get('stored-earlier'), 's');
  assert.equal(await store.get('deleted-earlier'), undefined);
  assert.equal(store.status().backend, 'memory');
});

test('tells the user once even when several calls fail at the same time', async () => {
  const { keychain, logger, store } = setup();
  keychain.behaviour = 'fails';
  await Promise.all([store.get('a'), store.set('b', 'x'), store.delete('c'), store.get('d')]);
  assertToldOnce(logger, store);
});

test('passes a programming error through without abandoning the keychain', async () => {
  const { keychain, logger, store } = setup();
  keychain.behaviour = 'fails';
  keychain.failure = new GatehouseError('GATEHOUSE_INTERNAL', 'Invalid keychain account name');
  await assert.rejects(store.set('bad#name', 'x'), { code: 'GATEHOUSE_INTERNAL' });
  assert.deepEqual(store.status(), { backend: 'keychain' });
  assert.deepEqual(logger.lines, []);
});

test('a passing probe keeps the keychain and leaves no probe entry behind', async () => {
  const { keychain, logger, store } = setup();
  await store.probe();
  assert.equal(keychain.calls, 3);
  assert.deepEqual(keychain.entries, new Map());
  assert.deepEqual(store.status(), { backend: 'keychain' });
  assert.deepEqual(logger.lines, []);
});

test('a failing probe switches to memory before any secret is stored', async () => {
  const { keychain, logger, store } = setup();
  keychain.behaviour = 'fails';
  await store.probe();
  assert.equal(keychain.calls, 1);
  assertToldOnce(logger, store);
});

test('a probe that reads back something else than it wrote switches to memory', async () => {
  const { keychain, logger, store } = setup();
  keychain.get = async (account) => (account === PROBE_ACCOUNT ? 'someone else' : undefined);
  await store.probe();
  assertToldOnce(logger, store);
  assert.match(store.status().problem ?? '', /did not return the value just stored/);
});
