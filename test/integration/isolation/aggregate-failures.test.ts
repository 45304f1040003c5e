// One aggregate in front of a healthy twin, a server that hangs and a server that crashes: what goes
// wrong with one server stays with that server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { startDying, type DyingServer } from '../../fixtures/servers/dying.js';
import { startHanging, type HangingServer } from '../../fixtures/servers/hanging.js';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';
import { Arrivals, eventually, within } from './wait.js';

const REQUEST_MS = 1000;

async function toolNames(client: Client): Promise<string[]> {
  // 'bypass': every poll must ask the broker, never the client's own cache.
  const { tools } = await client.listTools(undefined, { cacheMode: 'bypass' });
  return tools.map((t) => t.name).sort();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

describe('failure isolation in the aggregate', () => {
  let twin: TwinServer;
  let hanging: HangingServer;
  let dying: DyingServer;
  let h: Harness;

  before(async () => {
    [twin, hanging, dying] = await Promise.all([startTwin('A'), startHanging(), startDying()]);
    h = await startBroker([
      { id: 'alpha', url: twin.url },
      { id: 'hanging', url: hanging.url, timeouts: { connectMs: 5000, requestMs: REQUEST_MS } },
      { id: 'dying', url: dying.url, timeouts: { connectMs: 2000, requestMs: 10_000 } },
    ]);
  });
  after(async () => {
    await h?.stop();
    await Promise.all([twin?.close(), hanging?.close(), dying?.close()]);
  });

  test('a hanging call does not delay calls to another server', async () => {
    const client = await h.connect();
    const calls = hanging.hangCalls();
    let settled = false;
    const hang = client.callTool({ name: 'hanging__hang', arguments: {} }).finally(() => (settled = true));
    hang.catch(() => undefined);
    await within(5000, 'the hang call to reach the server', hanging.waitForHangCalls(calls + 1));
    for (let i = 0; i < 5; i++) {
      const result = await client.callTool({ name: 'alpha__search', arguments: { query: `q${i}` } });
      assert.deepEqual(result.content, [{ type: 'text', text: `[A] results for "q${i}"` }]);
    }
    assert.deepEqual((await toolNames(client)).filter((n) => n.startsWith('alpha__')), ['alpha__get_item', 'alpha__search']);
    assert.equal(settled, false, 'the hang was still in flight while the twin answered');
    await assert.rejects(within(10_000, 'the hang to time out', hang), /GATEHOUSE_UPSTREAM_TIMEOUT/);
  });

  test('a call that hears nothing for timeouts.requestMs ends with a Gatehouse timeout, and the server is told', async () => {
    const client = await h.connect();
    const cancelled = hanging.cancelledCount();
    const started = Date.now();
    const error = await client.callTool({ name: 'hanging__hang', arguments: {} }, { timeout: 30_000 }).then(
      () => assert.fail('hang answered'),
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    assert.match(errorText(error), /GATEHOUSE_UPSTREAM_TIMEOUT/);
    assert.match(errorText(error), /'hanging'/);
    assert.match(errorText(error), /requestMs/);
    assert.equal((error as { code?: number }).code, -32001);
    assert.ok(elapsed >= REQUEST_MS - 50, `timed out after ${elapsed} ms, before timeouts.requestMs`);
    assert.ok(elapsed < REQUEST_MS + 3000, `timed out after ${elapsed} ms`);
    await within(5000, 'the server to see the cancellation', hanging.waitForCancelled(cancelled + 1));
    // The server that hung is still usable.
    const ok = await client.callTool({ name: 'hanging__slow_with_progress', arguments: { steps: 1, intervalMs: 0 } });
    assert.deepEqual(ok.content, [{ type: 'text', text: 'done after 1 steps' }]);
  });

  test('progress keeps a long call alive past timeouts.requestMs', async () => {
    const client = await h.connect();
    const progress: number[] = [];
    const started = Date.now();
    const result = await client.callTool(
      { name: 'hanging__slow_with_progress', arguments: { steps: 10, intervalMs: 300 } },
      { timeout: 20_000, onprogress: (p) => progress.push(p.progress) },
    );
    assert.deepEqual(result.content, [{ type: 'text', text: 'done after 10 steps' }]);
    assert.ok(Date.now() - started >= 3 * REQUEST_MS, 'the call outlived the idle timeout');
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('a server that crashes mid-call: a clear error, its tools vanish and return, the others keep working', async () => {
    const client = await h.connect();
    const toolsChanged = new Arrivals();
    client.setNotificationHandler('notifications/tools/list_changed', toolsChanged.add);
    const all = await toolNames(client);
    assert.ok(all.includes('dying__echo') && all.includes('dying__die'), all.join());

    const crashes = dying.crashCount();
    let seen = toolsChanged.value;
    const error = await client.callTool({ name: 'dying__die', arguments: {} }, { timeout: 10_000 }).then(
      () => assert.fail('die answered'),
      (e: unknown) => e,
    );
    assert.match(errorText(error), /GATEHOUSE_/);
    assert.match(errorText(error), /'dying'/, `the error names the server: ${errorText(error)}`);
    await within(5000, 'the crash', dying.waitForCrash(crashes + 1));

    // The others are untouched.
    const ok = await client.callTool({ name: 'alpha__search', arguments: { query: 'still here' } });
    assert.deepEqual(ok.content, [{ type: 'text', text: '[A] results for "still here"' }]);

    await toolsChanged.after(seen, 5000, 'tools/list_changed after the crash');
    const withoutDying = await toolNames(client);
    assert.deepEqual(withoutDying.filter((n) => n.startsWith('dying__')), []);
    assert.ok(withoutDying.includes('alpha__search') && withoutDying.includes('hanging__hang'), withoutDying.join());

    const down = await client.callTool({ name: 'dying__echo', arguments: { text: 'x' } }).then(
      () => assert.fail('echo answered while the server was down'),
      (e: unknown) => e,
    );
    assert.match(errorText(down), /GATEHOUSE_SERVER_UNAVAILABLE/);
    assert.match(errorText(down), /'dying'/);
    // Asking again while it is down gives the same short answer, not one that nests the last.
    for (let i = 0; i < 3; i++) {
      const again = await client.callTool({ name: 'dying__echo', arguments: { text: 'x' } }).then(() => assert.fail('echo answered'), (e: unknown) => e);
      assert.equal(errorText(again).split('is not connected').length - 1, 1, errorText(again));
    }

    seen = toolsChanged.value;
    await dying.restart();
    const back = await eventually('the dying tools to reappear', async () => {
      const names = await toolNames(client);
      return names.includes('dying__echo') ? names : undefined;
    }, { timeoutMs: 15_000, intervalMs: 100 });
    assert.ok(back.includes('alpha__search'));
    await toolsChanged.after(seen, 5000, 'tools/list_changed after the reconnect');
    const echoed = await client.callTool({ name: 'dying__echo', arguments: { text: 'alive' } });
    assert.deepEqual(echoed.content, [{ type: 'text', text: 'alive' }]);
  });

  test('an upstream that forgot the session is re-initialised without the client noticing', async () => {
    const client = await h.connect();
    const first = await client.callTool({ name: 'dying__echo', arguments: { text: 'one' } });
    assert.deepEqual(first.content, [{ type: 'text', text: 'one' }]);

    const from = dying.requestsSeen.length;
    await dying.restart(); // the new incarnation knows no session
    const second = await client.callTool({ name: 'dying__echo', arguments: { text: 'two' } });
    assert.deepEqual(second.content, [{ type: 'text', text: 'two' }]);

    const since = dying.requestsSeen.slice(from);
    assert.ok(since.some((r) => r.method === 'POST' && r.sessionId !== undefined && r.status === 404), 'the old session was refused with 404');
    assert.ok(since.some((r) => r.method === 'POST' && r.sessionId === undefined && r.status === 200), 'a new session was initialised');
    const third = await client.callTool({ name: 'dying__echo', arguments: { text: 'three' } });
    assert.deepEqual(third.content, [{ type: 'text', text: 'three' }]);
  });
});
