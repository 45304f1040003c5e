import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { isGatehouseError, type GatehouseErrorCode } from '../../../../common/errors.js';
import { ClientRegistry } from '../../../../main/core/clients/registry.js';
import type { Clock } from '../../../../main/core/ports/clock.js';
import type { LogLevel } from '../../../../main/core/ports/logger.js';
import { modeOf, posixModes, tempDir } from './temp-dirs.js';

function fakeClock(start = Date.parse('2026-03-01T10:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout: () => ({ cancel() {} }),
    advance(ms) {
      now += ms;
    },
  };
}

const hasCode = (code: GatehouseErrorCode) => (error: unknown) => isGatehouseError(error) && error.code === code;

async function registryInTemp(clock = fakeClock()) {
  const dataDir = path.join(await tempDir(), 'data');
  return { dataDir, clock, registry: new ClientRegistry({ dataDir, clock }) };
}

describe('ClientRegistry', () => {
  test('issues a gh_ token that authenticates as the registered client', async () => {
    const { registry } = await registryInTemp();
    const { name, token } = await registry.register('cursor');
    assert.equal(name, 'cursor');
    assert.match(token, /^gh_[A-Za-z0-9_-]{43}$/);
    assert.equal(registry.authenticate(token)?.name, 'cursor');
  });

  test('stores only a SHA-256 of the token, in a 0600 file inside a 0700 directory', async () => {
    const { registry, dataDir } = await registryInTemp();
    const { token } = await registry.register('vscode');
    const text = await readFile(registry.file, 'utf8');
    assert.ok(!text.includes(token), 'token in clear');
    assert.ok(!text.includes(token.slice(3)), 'token body in clear');
    assert.ok(text.includes(createHash('sha256').update(token).digest('hex')));
    if (posixModes) {
      assert.equal(await modeOf(registry.file), 0o600);
      assert.equal(await modeOf(dataDir), 0o700);
    }
  });

  test('rotation invalidates the old token and keeps createdAt', async () => {
    const { registry, clock } = await registryInTemp();
    const first = await registry.register('cursor');
    clock.advance(60_000);
    const second = await registry.register('cursor');
    assert.notEqual(first.token, second.token);
    assert.equal(registry.authenticate(first.token), undefined);
    const record = registry.authenticate(second.token);
    assert.deepEqual(record, { name: 'cursor', createdAt: '2026-03-01T10:00:00.000Z', lastRotatedAt: '2026-03-01T10:01:00.000Z' });
  });

  test('revoke removes the client; revoking an unknown one names the registered clients', async () => {
    const { registry } = await registryInTemp();
    const { token } = await registry.register('windsurf');
    await registry.register('cursor');
    await registry.revoke('windsurf');
    assert.equal(registry.authenticate(token), undefined);
    assert.deepEqual(registry.list().map((c) => c.name), ['cursor']);
    await assert.rejects(registry.revoke('windsurf'), (error) => hasCode('GATEHOUSE_CLIENT_UNKNOWN')(error) && /cursor/.test(String(error)));
    await assert.rejects(registry.revoke('constructor'), hasCode('GATEHOUSE_CLIENT_UNKNOWN'));
  });

  test('list returns every client sorted by name, without token material', async () => {
    const { registry } = await registryInTemp();
    for (const name of ['windsurf', 'claude-code', 'cursor']) await registry.register(name);
    const list = registry.list();
    assert.deepEqual(list.map((c) => c.name), ['claude-code', 'cursor', 'windsurf']);
    assert.deepEqual(Object.keys(list[0]!).sort(), ['createdAt', 'lastRotatedAt', 'name']);
  });

  test('refuses invalid names with a message stating the rule', async () => {
    const { registry } = await registryInTemp();
    for (const name of ['', 'Cursor', '.hidden', '-x', 'a/b', 'a b', 'x'.repeat(49), '__proto__']) {
      await assert.rejects(registry.register(name), (error) => hasCode('GATEHOUSE_CLIENT_INVALID')(error) && /lowercase/.test(String(error)), name);
    }
    await registry.register('x'.repeat(48));
    await registry.register('vscode-work.2_a');
  });

  test('rejects malformed tokens without throwing', async () => {
    const { registry } = await registryInTemp();
    const { token } = await registry.register('cursor');
    const malformed: unknown[] = [
      undefined,
      '',
      'gh_',
      `Bearer ${token}`,
      token.slice(0, -1),
      token + 'A',
      'xx_' + token.slice(3),
      token.slice(0, -1) + '=',
      'gh_' + 'é'.repeat(43),
      'gh_' + 'A'.repeat(1_000_000),
      42,
      { toString: () => token },
    ];
    // Values of other types reach authenticate from untyped headers; the cast is the point here.
    for (const value of malformed) assert.equal(registry.authenticate(value as string | undefined), undefined);
    assert.equal(registry.authenticate(token)?.name, 'cursor');
  });

  test('a second instance (the broker process) sees a client registered after it started', async () => {
    const { registry: cli, dataDir, clock } = await registryInTemp();
    const broker = new ClientRegistry({ dataDir, clock });
    assert.equal(broker.authenticate((await cli.register('before')).token)?.name, 'before');
    // No time passes: the throttle would skip the check, so only the miss path can find it.
    const { token } = await cli.register('cursor');
    assert.equal(broker.authenticate(token)?.name, 'cursor');
  });

  test('the broker stops accepting a token rotated or revoked by the CLI once the recheck interval passed', async () => {
    const { registry: cli, dataDir, clock } = await registryInTemp();
    const broker = new ClientRegistry({ dataDir, clock });
    const old = await cli.register('cursor');
    assert.equal(broker.authenticate(old.token)?.name, 'cursor');
    await cli.register('cursor');
    clock.advance(300);
    assert.equal(broker.authenticate(old.token), undefined);
    const other = await cli.register('vscode');
    assert.equal(broker.authenticate(other.token)?.name, 'vscode');
    await cli.revoke('vscode');
    clock.advance(300);
    assert.equal(broker.authenticate(other.token), undefined);
  });

  test('a corrupt file keeps the last good copy for authentication and is reported by list()', async () => {
    const { registry: cli, dataDir, clock } = await registryInTemp();
    const levels: LogLevel[] = [];
    const broker = new ClientRegistry({ dataDir, clock, logger: { log: (level) => levels.push(level) } });
    const { token } = await cli.register('cursor');
    assert.equal(broker.authenticate(token)?.name, 'cursor');
    await writeFile(cli.file, '{"version": 1, "clients": {"cursor": {"tokenSha256": "nope"');
    clock.advance(300);
    assert.equal(broker.authenticate(token)?.name, 'cursor');
    assert.deepEqual(levels, ['error']);
    assert.throws(() => broker.list(), (error) => hasCode('GATEHOUSE_CLIENT_INVALID')(error) && String(error).includes(cli.file));
  });

  test('a broker started on a corrupt file authenticates nobody and does not throw', async () => {
    const { dataDir } = await registryInTemp();
    const broker = new ClientRegistry({ dataDir });
    await new ClientRegistry({ dataDir }).register('cursor');
    await writeFile(broker.file, JSON.stringify({ version: 1, clients: { Bad: {} } }));
    assert.equal(broker.authenticate('gh_' + 'A'.repeat(43)), undefined);
    assert.throws(() => broker.list(), /is invalid/);
  });

  test('register refuses to overwrite a corrupt file, which stays as it was', async () => {
    const { registry } = await registryInTemp();
    await registry.register('cursor');
    await writeFile(registry.file, 'garbage');
    await assert.rejects(registry.register('vscode'), (error) => hasCode('GATEHOUSE_CLIENT_INVALID')(error) && /not valid JSON/.test(String(error)));
    assert.equal(await readFile(registry.file, 'utf8'), 'garbage');
  });

  test('concurrent registrations from two processes lose no client', async () => {
    const { registry: a, dataDir } = await registryInTemp();
    const b = new ClientRegistry({ dataDir });
    const names = Array.from({ length: 12 }, (_, i) => `client-${i}`);
    const results = await Promise.all(names.map((name, i) => (i % 2 === 0 ? a : b).register(name)));
    const fresh = new ClientRegistry({ dataDir });
    assert.deepEqual(fresh.list().map((c) => c.name).sort(), [...names].sort());
    for (const { name, token } of results) assert.equal(fresh.authenticate(token)?.name, name);
  });
});
