// The oauth mode as an IDE meets it: through a real broker, whose upstream transports ask the
// credentials for a token on every request and come back to them on a 401 or a 403 asking for scope.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_SCOPE, READ_SCOPE } from '../../../fixtures/oauth/protected-mcp-server.js';
import { startBroker, TEST_TOKEN, type Harness } from '../../helpers/broker-harness.js';
import { claimsOf, World } from './world.js';

describe('oauth upstream through the broker', () => {
  let world: World;
  let h: Harness;

  before(async () => {
    world = await World.start();
    const credentials = world.credentials(world.server, { serverId: 'vendor', config: { scopes: [READ_SCOPE] } });
    h = await startBroker([{ id: 'vendor', url: world.server.url, auth: { mode: 'oauth', scopes: [READ_SCOPE] } }], {}, { credentials: () => credentials });
  });
  after(async () => {
    await h?.stop();
    await world?.close();
  });

  test('the first connection asks for consent once; calls carry a token for this server and never the client token', async () => {
    const client = await h.connect();
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['vendor__admin_action', 'vendor__whoami']);
    const answer = await client.callTool({ name: 'vendor__whoami', arguments: {} });
    assert.equal(answer.isError, undefined);
    assert.equal(world.opener.opened.length, 1, 'one consent in the browser');
    for (const seen of world.server.seen) {
      assert.ok(!String(seen.authorization ?? '').includes(TEST_TOKEN), 'the local client token never goes upstream');
      if (seen.claims !== undefined) assert.equal(seen.claims.aud, world.server.url);
    }
  });

  test('a 403 insufficient_scope steps up through the transport and the call succeeds', async () => {
    const client = await h.connect();
    const answer = await client.callTool({ name: 'vendor__admin_action', arguments: {} });
    assert.deepEqual(answer.content, [{ type: 'text', text: 'admin action done' }]);
    assert.equal(world.opener.opened.length, 2, 'one more consent, for the wider scope');
    const last = world.server.seen.filter((s) => s.path === '/mcp').at(-1);
    assert.match(String(claimsOf(last?.authorization)['scope']), new RegExp(ADMIN_SCOPE));
    assert.ok(!JSON.stringify(answer).includes(String(last?.authorization).replace(/^Bearer /, '')), 'the IDE never sees the upstream token');
  });
});
