import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';

// Roles normally come from the ID token (see test/integration/identity); here the role source is set
// directly so these tests are about what policy grants, not about sign-in.
describe('role-based access to tools', () => {
  let a: TwinServer;
  let b: TwinServer;
  let h: Harness;
  let roles: string[] | undefined = ['developer'];

  before(async () => {
    [a, b] = await Promise.all([startTwin('A'), startTwin('B')]);
    h = await startBroker(
      [
        { id: 'alpha', url: a.url, tools: [{ match: 'get_*', scope: 'alpha.read' }, { match: '*', scope: 'alpha.search' }] },
        { id: 'beta', url: b.url, tools: [{ match: 'search', scope: 'beta.search' }] },
      ],
      {
        identity: { issuer: 'https://login.example.com', clientId: 'gatehouse-desktop' },
        roles: { developer: ['alpha.read'], sre: ['alpha.read', 'alpha.search', 'beta.search'] },
      },
      { roles: { roles: () => roles } },
    );
  });
  after(async () => {
    await h?.stop();
    await Promise.all([a?.close(), b?.close()]);
  });

  test('lists only the tools a role grants, deny by default', async () => {
    roles = ['developer'];
    const client = await h.connect();
    const { tools } = await client.listTools();
    // beta's get_item matches no rule at all, so nobody sees it.
    assert.deepEqual(tools.map((t) => t.name), ['alpha__get_item']);
  });

  test('refuses a call the roles do not grant, naming the scope needed', async () => {
    roles = ['developer'];
    const client = await h.connect();
    await assert.rejects(client.callTool({ name: 'alpha__search', arguments: { query: 'x' } }), (error: Error) => {
      assert.match(error.message, /GATEHOUSE_TOOL_NOT_ALLOWED/);
      assert.match(error.message, /needs the scope 'alpha\.search'/);
      assert.match(error.message, /your roles \(developer\) do not grant it/);
      return true;
    });
    await assert.rejects(client.callTool({ name: 'beta__get_item', arguments: { id: '1' } }), /not granted to anyone by policy/);
    const allowed = await client.callTool({ name: 'alpha__get_item', arguments: { id: '1' } });
    assert.equal(allowed.isError, undefined);
  });

  test('applies the same rules on a per-server endpoint', async () => {
    roles = ['developer'];
    const client = await h.connect('/mcp/alpha');
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ['get_item']);
    await assert.rejects(client.callTool({ name: 'search', arguments: { query: 'x' } }), /GATEHOUSE_TOOL_NOT_ALLOWED/);
  });

  test('hides every tool and asks for sign-in while nobody is signed in', async () => {
    roles = undefined;
    try {
      const client = await h.connect();
      assert.deepEqual((await client.listTools()).tools, []);
      await assert.rejects(client.callTool({ name: 'alpha__get_item', arguments: { id: '1' } }), (error: Error) => {
        assert.match(error.message, /GATEHOUSE_SIGN_IN_REQUIRED/);
        assert.match(error.message, /gatehouse login/);
        return true;
      });
    } finally {
      roles = ['developer'];
    }
  });

  test('a role change tells connected clients their tool list changed', async () => {
    roles = ['developer'];
    const client = await h.connect();
    assert.equal((await client.listTools()).tools.length, 1);
    const changed = new Promise<void>((resolve) => client.setNotificationHandler('notifications/tools/list_changed', () => resolve()));
    // A GET stream must be open for a notification that belongs to no request.
    roles = ['sre'];
    h.broker.identityChanged();
    await changed;
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), ['alpha__get_item', 'alpha__search', 'beta__search']);
    roles = ['developer'];
  });
});
