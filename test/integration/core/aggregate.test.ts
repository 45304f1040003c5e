import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';

describe('the aggregate endpoint', () => {
  let a: TwinServer;
  let b: TwinServer;
  let h: Harness;

  before(async () => {
    [a, b] = await Promise.all([startTwin('A'), startTwin('B')]);
    h = await startBroker([{ id: 'alpha', url: a.url }, { id: 'beta', url: b.url }]);
  });
  after(async () => {
    await h?.stop();
    await Promise.all([a?.close(), b?.close()]);
  });

  test('lists the tools of two servers with identical tool names under distinct namespaced names', async () => {
    const client = await h.connect();
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['alpha__get_item', 'alpha__search', 'beta__get_item', 'beta__search']);
    for (const t of tools) assert.match(t.name, /^[a-zA-Z0-9_-]{1,64}$/);
  });

  test('routes each namespaced call to its own server', async () => {
    const client = await h.connect();
    const ra = await client.callTool({ name: 'alpha__search', arguments: { query: 'x' } });
    const rb = await client.callTool({ name: 'beta__search', arguments: { query: 'x' } });
    assert.deepEqual(ra.content, [{ type: 'text', text: '[A] results for "x"' }]);
    assert.deepEqual(rb.content, [{ type: 'text', text: '[B] results for "x"' }]);
  });

  test('keeps prompts and resources of the two servers apart', async () => {
    const client = await h.connect();
    const { prompts } = await client.listPrompts();
    assert.deepEqual(prompts.map((p) => p.name).sort(), ['alpha__summary', 'beta__summary']);
    const got = await client.getPrompt({ name: 'beta__summary', arguments: { topic: 't' } });
    assert.deepEqual(got.messages[0]?.content, { type: 'text', text: '[B] summarise t' });
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri).sort();
    assert.deepEqual(uris, ['gh-alpha+twin://item/1', 'gh-beta+twin://item/1']);
    const read = await client.readResource({ uri: 'gh-alpha+twin://item/1' });
    assert.equal(read.contents[0]?.uri, 'gh-alpha+twin://item/1');
    assert.equal((read.contents[0] as { text: string }).text, '[A] item 1');
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), ['gh-alpha+twin://item/{id}', 'gh-beta+twin://item/{id}']);
    const viaTemplate = await client.readResource({ uri: 'gh-beta+twin://item/7' });
    assert.equal((viaTemplate.contents[0] as { text: string }).text, '[B] item 7');
  });

  test('answers an unknown tool with a Gatehouse error naming the problem', async () => {
    const client = await h.connect();
    await assert.rejects(client.callTool({ name: 'gamma__search', arguments: {} }), /GATEHOUSE_TOOL_UNKNOWN/);
  });
});
