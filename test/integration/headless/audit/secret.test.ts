// `gatehouse audit secret set|delete NAME` with a real, private Secret Service: the value goes from
// stdin into the keychain (never argv), `audit sync --now` sends it as the collector header policy
// names, and without the entry (or without a keychain) the commands say what to do.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSecretService, unreachableBusAddress, type PrivateSecretService } from '../../../helpers/secret-service.js';
import { startAuditCollector, type AuditCollector } from '../../../fixtures/audit-collector.js';
import { runCli } from '../cli-runner.js';
import { auditLogFixture, MORNING, type AuditLogFixture } from './audit-log-fixture.js';

const TOKEN = 'Bearer s3cr3t-collector-token-0123456789';

describe('gatehouse audit secret', () => {
  let service: PrivateSecretService;
  let collector: AuditCollector;
  let log: AuditLogFixture;
  let env: NodeJS.ProcessEnv;
  let policy: string[];
  before(async () => {
    [service, collector, log] = await Promise.all([startSecretService(), startAuditCollector(), auditLogFixture()]);
    env = { ...log.env, ...service.env };
    policy = await log.policy({ sink: { url: collector.url, headers: { Authorization: { secret: 'collector-token' } } } });
  });
  after(async () => {
    await Promise.all([service?.stop(), collector?.close(), log?.close()]);
  });

  const cli = (args: string[], input?: string) => runCli(['audit', ...args, ...policy, ...log.args], env, input);

  test('set reads the value from stdin into the keychain, and sync --now sends it as the header policy names', async () => {
    const set = await cli(['secret', 'set', 'collector-token'], `${TOKEN}\n`);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /Stored collector-token in the OS keychain as audit-header:collector-token/);
    assert.doesNotMatch(set.stdout + set.stderr, /s3cr3t/);

    const sync = await cli(['sync', '--now']);
    assert.equal(sync.code, 0, sync.stderr);
    assert.deepEqual(collector.received.map((request) => request.headers['authorization']), [TOKEN]);
    assert.equal(collector.acceptedIds().length, MORNING.length);
  });

  test('after delete, sync --now names the missing entry and the command that sets it, and sends nothing', async () => {
    const deleted = await cli(['secret', 'delete', 'collector-token']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /Deleted the keychain entry audit-header:collector-token/);
    log.append([{ type: 'tool.call', decision: 'allowed', client: 'cursor', server: 'docs', tool: 'search' }]);
    const sent = collector.received.length;

    const sync = await cli(['sync', '--now']);
    assert.equal(sync.code, 1);
    assert.match(sync.stderr, /the audit collector's "Authorization" header needs the keychain entry "audit-header:collector-token", which is not set\. Set it with: gatehouse audit secret set collector-token/);
    assert.match(sync.stderr, /\[GATEHOUSE_AUDIT_SYNC_FAILED\]/);
    assert.equal(collector.received.length, sent);
  });

  test('refuses a name policy could not refer to, and an empty value, storing nothing', async () => {
    const [badName, empty] = await Promise.all([cli(['secret', 'set', 'Collector Token'], 'x'), cli(['secret', 'set', 'collector-token'], '')]);
    assert.equal(badName.code, 2);
    assert.match(badName.stderr, /'Collector Token' is not a secret name policy can refer to/);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no value on stdin/);
  });

  test('a value given on the command line is not taken', async () => {
    const r = await cli(['secret', 'set', 'collector-token', TOKEN]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the value is read from stdin, never from the command line/);
    assert.doesNotMatch(r.stdout, /Stored/);
  });
});

describe('gatehouse audit secret without a keychain', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(tmpdir(), 'gh-cli-audit-nokeychain-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  test('set stores nothing and says the keychain is not available', async () => {
    const r = await runCli(['audit', 'secret', 'set', 'collector-token', '--data-dir', path.join(dir, 'data')], {
      HOME: dir, GATEHOUSE_POLICY: '', DBUS_SESSION_BUS_ADDRESS: unreachableBusAddress(dir),
    }, TOKEN);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nothing was stored: the OS keychain is not available\..*\[GATEHOUSE_KEYCHAIN_UNAVAILABLE\]/);
  });
});
