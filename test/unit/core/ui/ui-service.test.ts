// The UI's calls answered by the UiService over real parts (broker, twin server, audit log, pins,
// client registry, prompt board): each call's answer, the requests it refuses, the errors it turns
// into codes (and the details it keeps for the log), and the topics it publishes.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { IDE_KINDS, type UiResult, type UiTopic } from '../../../../common/ui-api.js';
import { AuditLog } from '../../../../main/core/audit/audit-log.js';
import { AuditPolicySchema } from '../../../../main/core/audit/audit-policy.js';
import { AuditStore } from '../../../../main/core/audit/store/audit-store.js';
import { CLIENT_KINDS } from '../../../../main/core/clients/kinds.js';
import { canonicalJson, sha256Hex } from '../../../../main/core/guard/pinning/tool-hash.js';
import { systemClock } from '../../../../main/core/ports/clock.js';
import { silentLogger } from '../../../../main/core/ports/logger.js';
import type { UiBroker } from '../../../../main/core/ui/ui-deps.js';
import { FakeIdentity, startUiWorld, type UiWorld } from '../../../helpers/ui-world.js';

function value<T>(result: UiResult<T>): T {
  assert.ok(result.ok, `expected a value, got ${JSON.stringify(result)}`);
  return result.value;
}

function error(result: UiResult<unknown>): { code: string; message: string } {
  assert.ok(!result.ok, `expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

/** Resolves the next time `topic` is published. */
function next(world: UiWorld, topic: UiTopic): Promise<void> {
  return new Promise((resolve) => {
    const stop = world.service.subscribe(topic, () => {
      stop();
      resolve();
    });
  });
}

const fakeBroker = (over: Partial<UiBroker> = {}): UiBroker => ({
  url: 'http://127.0.0.1:4319/mcp',
  paused: false,
  setPaused: async () => undefined,
  onPausedChange: () => () => undefined,
  health: { get: () => ({ state: 'unknown', since: 0 }), onChange: () => () => undefined },
  ...over,
});

describe('the UI service', () => {
  let world: UiWorld;
  let client: Client;

  before(async () => {
    world = await startUiWorld();
    client = await world.harness.connect('/mcp', { name: 'cursor-test' });
    await client.listTools();
    await client.callTool({ name: 'alpha__search', arguments: { query: 'invoices' } });
  });
  after(async () => {
    await client?.close();
    await world?.stop();
  });

  describe('refuses what does not fit the contract', () => {
    test('a call it does not know, whatever the name', async () => {
      for (const name of ['nope', '__proto__', 'toString', 'constructor', 'dashboard.get ', '']) {
        const refused = error(await world.service.handle(name, {}));
        assert.equal(refused.code, 'GATEHOUSE_BAD_REQUEST', name);
      }
      assert.match(error(await world.service.handle('x'.repeat(10_000), {})).message, /no call named "x{100}"\./);
    });

    test('a request that does not fit its schema, naming the field', async () => {
      const limit = error(await world.service.handle('activity.query', { limit: 0 }));
      assert.equal(limit.code, 'GATEHOUSE_BAD_REQUEST');
      assert.match(limit.message, /activity\.query.*limit: /);
      assert.match(error(await world.service.handle('tools.setPaused', { paused: 'yes' })).message, /paused: /);
      assert.match(error(await world.service.handle('prompts.answer', { id: 'p', answer: { kind: 'approval', answer: 'maybe' } })).message, /answer\.answer: /);
      assert.equal(error(await world.service.handle('dashboard.get', { extra: 1 })).code, 'GATEHOUSE_BAD_REQUEST');
      assert.equal(error(await world.service.handle('dashboard.get', null)).code, 'GATEHOUSE_BAD_REQUEST');
      assert.equal(error(await world.service.handle('clients.connect', { kind: 'emacs' })).code, 'GATEHOUSE_BAD_REQUEST');
    });
  });

  test('dashboard.get: version, endpoint, policy, servers with health and tools, clients without tokens, audit', async () => {
    const { token } = await world.clients.register('cursor');
    const dashboard = value(await world.service.call('dashboard.get', {}));
    assert.equal(dashboard.version, 'test');
    assert.equal(dashboard.endpoint, world.harness.url);
    assert.ok(Math.abs(dashboard.now - Date.now()) < 60_000);
    assert.deepEqual(dashboard.policy, { source: '/etc/gatehouse/policy.json', version: 1, sha256: sha256Hex(canonicalJson(world.policy)) });
    assert.equal(dashboard.paused, false);
    assert.deepEqual(dashboard.identity, { configured: false, signedIn: false, roles: [] });
    const [alpha] = dashboard.servers;
    assert.equal(alpha?.id, 'alpha');
    assert.equal(alpha?.name, 'Alpha catalogue');
    assert.equal(alpha?.url, world.twin.url);
    assert.equal(alpha?.health, 'ready');
    assert.deepEqual(alpha?.tools.map((t) => [t.name, t.state]).sort(), [['get_item', 'ok'], ['search', 'ok']]);
    assert.deepEqual(dashboard.clients.map((c) => c.name), ['cursor']);
    assert.ok(!JSON.stringify(dashboard).includes(token), 'no token');
    assert.ok(!/[0-9a-f]{64}/.test(JSON.stringify(dashboard.clients)), 'no token hash');
    assert.equal(dashboard.audit.ok, true);
    assert.ok(dashboard.audit.events >= 2, 'the session and the call at least');
    assert.equal(dashboard.audit.pending, 0, 'nothing waits for a collector when there is none');
    assert.equal(dashboard.audit.sink, undefined);
  });

  test('dashboard.get with a sign-in: who, roles, and where the sign-in is kept', async () => {
    const identity = new FakeIdentity();
    const dashboard = value(await world.serviceWith({ identity }).call('dashboard.get', {}));
    assert.deepEqual(dashboard.identity, {
      configured: true,
      signedIn: true,
      issuer: 'https://idp.example.com',
      subject: 'u-1234',
      name: 'Dana Developer',
      roles: ['developer'],
      secrets: { backend: 'memory', problem: 'No keychain is available.' },
    });
  });

  test('prompts.get and prompts.answer: an approval the broker waits for is shown and answered', async () => {
    const shown = next(world, 'prompts');
    const approval = world.board.approve(
      { id: 'r1', client: { name: 'cursor' }, user: 'dana', server: { id: 'alpha' }, tool: { name: 'search' }, arguments: { query: 'x' }, reasons: ['policy'], expiresAt: Date.now() + 60_000 },
      new AbortController().signal,
    );
    await shown;
    const snapshot = value(await world.service.call('prompts.get', {}));
    const [prompt] = snapshot.prompts;
    assert.equal(prompt?.kind, 'approval');
    const wrong = value(await world.service.call('prompts.answer', { id: prompt!.id, answer: { kind: 'notice', answer: 'dismiss' } }));
    assert.deepEqual(wrong.ok ? undefined : wrong.code, 'wrong-kind');
    assert.deepEqual(value(await world.service.call('prompts.answer', { id: prompt!.id, answer: { kind: 'approval', answer: 'allow-once' } })), { ok: true });
    assert.equal(await approval, 'allow-once');
    assert.deepEqual(value(await world.service.call('prompts.get', {})).prompts, []);
    const late = value(await world.service.call('prompts.answer', { id: prompt!.id, answer: { kind: 'approval', answer: 'deny' } }));
    assert.equal(late.ok ? undefined : late.code, 'gone');
  });

  test('activity.query: newest first, filtered, in pages; activity.verify walks the chain', async () => {
    await client.callTool({ name: 'alpha__get_item', arguments: { id: '7' } });
    await client.callTool({ name: 'alpha__search', arguments: { query: 'refunds' } });
    const calls = value(await world.service.call('activity.query', { type: 'tool.call', limit: 2 }));
    assert.deepEqual(calls.events.map((e) => e.tool), ['search', 'get_item']);
    assert.ok(calls.next !== undefined);
    const older = value(await world.service.call('activity.query', { type: 'tool.call', before: calls.next }));
    assert.deepEqual(older.events.map((e) => e.tool), ['search']);
    assert.equal(older.next, undefined);
    const found = value(await world.service.call('activity.query', { text: 'refunds' }));
    assert.deepEqual(found.events.map((e) => e.arguments), [{ query: 'refunds' }]);
    assert.deepEqual(value(await world.service.call('activity.query', { server: 'nope' })).events, []);
    const chain = value(await world.service.call('activity.verify', {}));
    assert.equal(chain.ok, true);
    assert.equal(chain.from, 'genesis');
    assert.equal(chain.firstSeq, 1);
    assert.ok(chain.checked >= 5 && chain.lastSeq === chain.checked);
  });

  test('tools.setPaused: every call is refused with GATEHOUSE_TOOLS_PAUSED until resumed, and both are audited', async () => {
    const changed = next(world, 'dashboard');
    assert.deepEqual(value(await world.service.call('tools.setPaused', { paused: true })), { paused: true });
    await changed;
    try {
      assert.equal(value(await world.service.call('dashboard.get', {})).paused, true);
      const before = world.twin.requestsSeen.length;
      await assert.rejects(client.callTool({ name: 'alpha__search', arguments: { query: 'held' } }), (e: Error) => {
        assert.match(e.message, /GATEHOUSE_TOOLS_PAUSED/);
        assert.match(e.message, /paused Gatehouse/);
        return true;
      });
      assert.equal(world.twin.requestsSeen.length, before, 'nothing was forwarded');
      const [refused] = value(await world.service.call('activity.query', { type: 'tool.call', limit: 1 })).events;
      assert.equal(refused?.code, 'GATEHOUSE_TOOLS_PAUSED');
      assert.equal(refused?.status, 'refused');
      assert.deepEqual(refused?.steps, [{ step: 'pause', outcome: 'deny', code: 'GATEHOUSE_TOOLS_PAUSED' }]);
    } finally {
      assert.deepEqual(value(await world.service.call('tools.setPaused', { paused: false })), { paused: false });
    }
    await client.callTool({ name: 'alpha__search', arguments: { query: 'resumed' } });
    const switches = value(await world.service.call('activity.query', { type: 'tools.paused' })).events;
    assert.deepEqual(switches.map((e) => e.details?.['paused']), [false, true]);
    assert.equal(value(await world.service.call('tools.setPaused', { paused: false })).paused, false);
    assert.equal(value(await world.service.call('activity.query', { type: 'tools.paused' })).events.length, 2, 'no change, no event');
  });

  test('clients.connect: registers the IDE under its name and writes its config; generic gets the snippet instead', async () => {
    const cursor = value(await world.service.call('clients.connect', { kind: 'cursor' }));
    const file = path.join(world.home, '.cursor', 'mcp.json');
    assert.equal(cursor.client, 'cursor');
    assert.deepEqual(cursor.written, [file]);
    assert.match(cursor.message, /Restart Cursor/);
    assert.equal(cursor.snippet, undefined);
    const config = JSON.parse(await readFile(file, 'utf8')) as { mcpServers: Record<string, { url: string; headers: { Authorization: string } }> };
    assert.equal(config.mcpServers['gatehouse']?.url, `${new URL(world.harness.url).origin}/mcp`);
    const token = config.mcpServers['gatehouse']!.headers.Authorization.replace('Bearer ', '');
    assert.equal(world.clients.authenticate(token)?.name, 'cursor', 'the written token is the registered one');
    assert.ok(!JSON.stringify(cursor).includes(token), 'the answer never carries the token');

    const generic = value(await world.service.call('clients.connect', { kind: 'generic' }));
    assert.deepEqual(generic.written, []);
    const snippet = JSON.parse(generic.snippet ?? '{}') as { url: string; headers: { Authorization: string } };
    assert.equal(snippet.url, `${new URL(world.harness.url).origin}/mcp`);
    assert.equal(world.clients.authenticate(snippet.headers.Authorization.replace('Bearer ', ''))?.name, 'generic');
    assert.match(generic.message, /shown only now/);
    assert.ok(value(await world.service.call('dashboard.get', {})).clients.some((c) => c.name === 'generic'));
  });

  test('clients.connect is refused by a host that cannot write IDE settings', async () => {
    assert.equal(error(await world.serviceWith({ ide: undefined }).call('clients.connect', { kind: 'cursor' })).code, 'GATEHOUSE_USAGE');
  });

  test('the IDE kinds of the contract are the ones Gatehouse can configure', () => {
    assert.deepEqual([...IDE_KINDS], [...CLIENT_KINDS]);
  });

  describe('identity', () => {
    test('without a sign-in in policy, both calls say so', async () => {
      assert.equal(error(await world.service.call('identity.signIn', {})).code, 'GATEHOUSE_IDENTITY_NOT_CONFIGURED');
      assert.equal(error(await world.service.call('identity.signOut', {})).code, 'GATEHOUSE_IDENTITY_NOT_CONFIGURED');
    });

    test('signIn asks the host to start one; without a way to, says how to sign in', async () => {
      let started = 0;
      const identity = new FakeIdentity();
      const answer = value(await world.serviceWith({ identity, signIn: () => void started++ }).call('identity.signIn', {}));
      assert.equal(answer.started, true);
      assert.equal(started, 1);
      const unable = value(await world.serviceWith({ identity, signIn: undefined }).call('identity.signIn', {}));
      assert.equal(unable.started, false);
      assert.match(unable.message, /gatehouse login/);
    });

    test('signOut signs out, says whether the IdP was told, and the dashboard hears of it', async () => {
      const identity = new FakeIdentity();
      const service = world.serviceWith({ identity });
      let changed = 0;
      service.subscribe('dashboard', () => changed++);
      assert.match(value(await service.call('identity.signOut', {})).message, /revoked/);
      assert.equal(changed, 1);
      assert.equal(value(await service.call('dashboard.get', {})).identity.signedIn, false);
      assert.equal(value(await service.call('identity.signOut', {})).message, 'Nobody was signed in.');
    });
  });

  describe('topics', () => {
    test('activity and dashboard are published when a call is audited', async () => {
      const activity = next(world, 'activity');
      const dashboard = next(world, 'dashboard');
      await client.callTool({ name: 'alpha__search', arguments: { query: 'topics' } });
      await Promise.all([activity, dashboard]);
    });

    test('a listener is not called after it unsubscribes, nor after close', async () => {
      const service = world.serviceWith({});
      let calls = 0;
      const stop = service.subscribe('dashboard', () => calls++);
      await world.harness.broker.setPaused(true);
      assert.ok(calls >= 1, 'told of the pause');
      stop();
      const told = calls;
      await world.harness.broker.setPaused(false);
      assert.equal(calls, told);
      service.subscribe('dashboard', () => calls++);
      service.close();
      await world.harness.broker.setPaused(true);
      await world.harness.broker.setPaused(false);
      assert.equal(calls, told);
    });
  });

  describe('failures', () => {
    test('activity while the audit log cannot be opened: GATEHOUSE_AUDIT_UNAVAILABLE with the reason; the dashboard says so too', async () => {
      const broken = new AuditLog({
        open: () => AuditStore.open(path.join(world.dir, 'no', 'such', 'folder', 'audit.db')),
        policy: AuditPolicySchema.parse({}),
        clock: systemClock,
        logger: silentLogger,
      });
      try {
        const service = world.serviceWith({ audit: broken });
        for (const call of ['activity.query', 'activity.verify'] as const) {
          const refused = error(await service.handle(call, {}));
          assert.equal(refused.code, 'GATEHOUSE_AUDIT_UNAVAILABLE');
          assert.ok(refused.message.includes(broken.health().failure!.message), refused.message);
        }
        const { audit } = value(await service.call('dashboard.get', {}));
        assert.equal(audit.ok, false);
        assert.equal(audit.failure, broken.health().failure!.message);
        assert.equal(error(await world.serviceWith({ audit: undefined }).call('activity.query', {})).code, 'GATEHOUSE_AUDIT_UNAVAILABLE');
      } finally {
        broken.close();
      }
    });

    test('an unexpected error is GATEHOUSE_INTERNAL with a generic message; its details go only to the log', async () => {
      const identity = new FakeIdentity();
      identity.status = () => Promise.reject(new Error('keychain exploded at /home/dana/.secret'));
      const failed = error(await world.serviceWith({ identity }).call('dashboard.get', {}));
      assert.equal(failed.code, 'GATEHOUSE_INTERNAL');
      assert.ok(!failed.message.includes('keychain exploded'));
      assert.ok(world.logger.lines.some((line) => line.includes('dashboard.get') && line.includes('keychain exploded')));
    });

    test('a GatehouseError reaches the UI with its code and message', async () => {
      const broker = fakeBroker({
        setPaused: async () => {
          const { GatehouseError } = await import('../../../../common/errors.js');
          throw new GatehouseError('GATEHOUSE_AUDIT_UNAVAILABLE', 'the audit log is read-only; make it writable');
        },
      });
      assert.deepEqual(await world.serviceWith({ broker }).call('tools.setPaused', { paused: true }), {
        ok: false,
        error: { code: 'GATEHOUSE_AUDIT_UNAVAILABLE', message: 'the audit log is read-only; make it writable' },
      });
    });

    test('an answer that does not fit the contract is not sent: GATEHOUSE_INTERNAL, and the log says why', async () => {
      const broker = fakeBroker({ url: `http://127.0.0.1:4319/${'x'.repeat(300)}` });
      const failed = error(await world.serviceWith({ broker }).call('dashboard.get', {}));
      assert.equal(failed.code, 'GATEHOUSE_INTERNAL');
      assert.ok(world.logger.lines.some((line) => line.includes('does not fit the contract') && line.includes('endpoint')));
    });
  });
});
