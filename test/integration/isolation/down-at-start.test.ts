// A server that is down when the client connects costs the client that server's tools, nothing more;
// when it comes up, Gatehouse connects in the background and its tools appear.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { serveMcp, type McpHttpServer } from '../../fixtures/servers/serve-http.js';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';
import { Arrivals, eventually } from './wait.js';

/** A loopback port nobody listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function createLate(): McpServer {
  const server = new McpServer({ name: 'late', version: '1.0.0' });
  server.registerTool('hello', { description: 'Proves the late server is reachable' }, () => ({ content: [{ type: 'text', text: 'hello from late' }] }));
  return server;
}

async function toolNames(client: Client): Promise<string[]> {
  const { tools } = await client.listTools(undefined, { cacheMode: 'bypass' });
  return tools.map((t) => t.name).sort();
}

describe('a server that is down when the client initializes', () => {
  let twin: TwinServer;
  let late: McpHttpServer | undefined;
  let port: number;
  let h: Harness;

  before(async () => {
    twin = await startTwin('A');
    port = await closedPort();
    h = await startBroker([
      { id: 'alpha', url: twin.url },
      { id: 'late', url: `http://127.0.0.1:${port}/mcp`, timeouts: { connectMs: 2000, requestMs: 5000 } },
    ]);
  });
  after(async () => {
    await h?.stop();
    await Promise.all([twin?.close(), late?.close()]);
  });

  test('does not stop the session: the other tools are listed and work', async () => {
    const client = await h.connect();
    assert.deepEqual(await toolNames(client), ['alpha__get_item', 'alpha__search']);
    const ok = await client.callTool({ name: 'alpha__search', arguments: { query: 'q' } });
    assert.deepEqual(ok.content, [{ type: 'text', text: '[A] results for "q"' }]);
    await assert.rejects(client.callTool({ name: 'late__hello', arguments: {} }), /GATEHOUSE_SERVER_UNAVAILABLE.*'late'/);
    // Prompts and resources of the reachable server are there too.
    assert.deepEqual((await client.listPrompts()).prompts.map((p) => p.name), ['alpha__summary']);
  });

  test('once the server is up, Gatehouse connects and its tools appear, with a list_changed', async () => {
    const client = await h.connect();
    const toolsChanged = new Arrivals();
    client.setNotificationHandler('notifications/tools/list_changed', toolsChanged.add);
    assert.deepEqual(await toolNames(client), ['alpha__get_item', 'alpha__search']);
    const seen = toolsChanged.value;
    late = await serveMcp(createLate, { port });
    const names = await eventually('the late server to be connected', async () => {
      const now = await toolNames(client);
      return now.includes('late__hello') ? now : undefined;
    }, { timeoutMs: 15_000, intervalMs: 100 });
    assert.deepEqual(names, ['alpha__get_item', 'alpha__search', 'late__hello']);
    await toolsChanged.after(seen, 5000, 'tools/list_changed once the server connected');
    const hello = await client.callTool({ name: 'late__hello', arguments: {} });
    assert.deepEqual(hello.content, [{ type: 'text', text: 'hello from late' }]);
  });
});
