// Tool names that clients would refuse as `<server>__<tool>`: too long, or with characters outside
// ^[a-zA-Z0-9_-]$. The aggregate shortens them with a stable hash, and still routes calls to them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { serveMcp, type McpHttpServer } from '../../fixtures/servers/serve-http.js';
import { EXPOSED_NAME } from '../../../main/core/session/naming.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';

const LONG_NAME = `fetch_the_complete_quarterly_financial_report_for_a_business_unit_v2`.padEnd(70, 'x');
const DOTTED_NAME = 'files.read';
const DOTTED_TOO = 'repo.list.all';

function createOddlyNamed(): McpServer {
  const server = new McpServer({ name: 'oddly-named', version: '1.0.0' });
  for (const name of [LONG_NAME, DOTTED_NAME, DOTTED_TOO]) {
    server.registerTool(name, { description: `The tool called ${name}`, inputSchema: z.object({ arg: z.string() }) }, ({ arg }) => ({
      content: [{ type: 'text', text: `${name} got ${arg}` }],
    }));
  }
  server.registerTool('plain', { description: 'A tool whose name needs no change' }, () => ({ content: [{ type: 'text', text: 'plain ran' }] }));
  return server;
}

describe('names the aggregate must shorten or clean', () => {
  let odd: McpHttpServer;
  let h: Harness;

  before(async () => {
    assert.equal(LONG_NAME.length, 70);
    odd = await serveMcp(createOddlyNamed);
    h = await startBroker([{ id: 'odd', url: odd.url }]);
  });
  after(async () => {
    await h?.stop();
    await odd?.close();
  });

  test('are listed under names every client accepts, and each call reaches the right tool', async () => {
    const client = await h.connect();
    const { tools } = await client.listTools();
    assert.equal(tools.length, 4);
    for (const t of tools) assert.match(t.name, EXPOSED_NAME);
    assert.ok(tools.some((t) => t.name === 'odd__plain'));
    const byDescription = new Map(tools.map((t) => [t.description, t.name]));
    for (const original of [LONG_NAME, DOTTED_NAME, DOTTED_TOO]) {
      const exposed = byDescription.get(`The tool called ${original}`);
      assert.ok(exposed, `${original} is listed`);
      assert.ok(exposed.startsWith('odd__'), exposed);
      assert.notEqual(exposed, `odd__${original}`);
      const result = await client.callTool({ name: exposed, arguments: { arg: 'v' } });
      assert.deepEqual(result.content, [{ type: 'text', text: `${original} got v` }]);
    }
    const plain = await client.callTool({ name: 'odd__plain', arguments: {} });
    assert.deepEqual(plain.content, [{ type: 'text', text: 'plain ran' }]);
  });

  test('the shortened names are the same in every session', async () => {
    const [first, second] = [await h.connect(), await h.connect()];
    const names = async (c: typeof first) => (await c.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(await names(first), await names(second));
  });

  test('a shortened name routes in a session that never listed (a client that cached the list)', async () => {
    const lister = await h.connect();
    const exposed = (await lister.listTools()).tools.find((t) => t.description === `The tool called ${DOTTED_NAME}`)?.name;
    assert.ok(exposed);
    const fresh = await h.connect();
    const result = await fresh.callTool({ name: exposed, arguments: { arg: 'cached' } });
    assert.deepEqual(result.content, [{ type: 'text', text: `${DOTTED_NAME} got cached` }]);
  });

  test('/mcp/<id> shows the original names', async () => {
    const client = await h.connect('/mcp/odd');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [LONG_NAME, DOTTED_NAME, 'plain', DOTTED_TOO].sort());
    const result = await client.callTool({ name: DOTTED_NAME, arguments: { arg: 'direct' } });
    assert.deepEqual(result.content, [{ type: 'text', text: `${DOTTED_NAME} got direct` }]);
  });
});
