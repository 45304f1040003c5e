import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEverything, type EverythingServer } from '../../fixtures/everything.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';

describe('an upstream that only speaks the old HTTP+SSE transport', () => {
  let everything: EverythingServer;
  let h: Harness;

  before(async () => {
    everything = await startEverything({ transport: 'sse' });
    h = await startBroker([{ id: 'old', url: everything.url }]);
  });
  after(async () => {
    await h?.stop();
    await everything?.close();
  });

  test('is reached through the fallback transport: its tools are listed and called', async () => {
    const client = await h.connect();
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'old__echo'), tools.map((t) => t.name).join());
    const result = await client.callTool({ name: 'old__echo', arguments: { message: 'over sse' } });
    assert.match(JSON.stringify(result.content), /over sse/);
  });

  test('is reached through /mcp/<id> with its own names', async () => {
    const client = await h.connect('/mcp/old');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'direct-ish' } });
    assert.match(JSON.stringify(result.content), /direct-ish/);
  });
});
