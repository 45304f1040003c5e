// A server whose tools change while a client is connected: the client is told, and the new tool is
// listed and callable under its namespaced name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { startChanging, type ChangingServer } from '../../fixtures/servers/changing.js';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';
import { Arrivals, eventually, within } from './wait.js';

async function toolNames(client: Client): Promise<string[]> {
  const { tools } = await client.listTools(undefined, { cacheMode: 'bypass' });
  return tools.map((t) => t.name).sort();
}

describe('tool list changes upstream', () => {
  let twin: TwinServer;
  let changing: ChangingServer;
  let h: Harness;

  before(async () => {
    [twin, changing] = await Promise.all([startTwin('A'), startChanging()]);
    h = await startBroker([{ id: 'alpha', url: twin.url }, { id: 'changing', url: changing.url }]);
  });
  after(async () => {
    await h?.stop();
    await Promise.all([twin?.close(), changing?.close()]);
  });

  test('adding a tool upstream sends list_changed to the client and <id>__<tool> appears', async () => {
    const client = await h.connect();
    const toolsChanged = new Arrivals();
    client.setNotificationHandler('notifications/tools/list_changed', toolsChanged.add);
    assert.deepEqual(await toolNames(client), ['alpha__get_item', 'alpha__search', 'changing__alpha']);
    // The server announces changes on its standing stream; wait until Gatehouse has opened it.
    await within(5000, 'the upstream standing stream', changing.waitForStreams(1));

    let seen = toolsChanged.value;
    changing.addTool('beta', 'The second tool');
    await toolsChanged.after(seen, 5000, 'tools/list_changed after addTool');
    const names = await eventually('changing__beta to be listed', async () => {
      const now = await toolNames(client);
      return now.includes('changing__beta') ? now : undefined;
    }, { timeoutMs: 5000 });
    assert.deepEqual(names, ['alpha__get_item', 'alpha__search', 'changing__alpha', 'changing__beta']);
    const { tools } = await client.listTools(undefined, { cacheMode: 'bypass' });
    assert.equal(tools.find((t) => t.name === 'changing__beta')?.description, 'The second tool');
    const ran = await client.callTool({ name: 'changing__beta', arguments: {} });
    assert.deepEqual(ran.content, [{ type: 'text', text: 'beta ran' }]);

    seen = toolsChanged.value;
    changing.removeTool('beta');
    await toolsChanged.after(seen, 5000, 'tools/list_changed after removeTool');
    await eventually('changing__beta to be gone', async () => ((await toolNames(client)).includes('changing__beta') ? undefined : true), { timeoutMs: 5000 });
  });

  test('every connected client is told, each through its own session', async () => {
    const [first, second] = [await h.connect(), await h.connect()];
    const [a, b] = [new Arrivals(), new Arrivals()];
    first.setNotificationHandler('notifications/tools/list_changed', a.add);
    second.setNotificationHandler('notifications/tools/list_changed', b.add);
    // Each broker session has its own upstream session with its own standing stream (plus the
    // first test's client, still connected).
    await within(5000, 'the upstream standing streams', changing.waitForStreams(3));
    const [seenA, seenB] = [a.value, b.value];
    changing.addTool('gamma');
    await Promise.all([a.after(seenA, 5000, 'list_changed on the first client'), b.after(seenB, 5000, 'list_changed on the second client')]);
    assert.ok((await toolNames(first)).includes('changing__gamma'));
    assert.ok((await toolNames(second)).includes('changing__gamma'));
  });
});
