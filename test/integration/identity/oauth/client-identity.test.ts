import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { callTool } from './mcp-call.js';
import { World } from './world.js';

const CIMD_URL = 'https://gatehouse.example.test/oauth/client-metadata.json';
const CIMD_DOCUMENT = {
  client_id: CIMD_URL,
  client_name: 'Gatehouse',
  application_type: 'native',
  redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

describe('oauth upstream: which client identity is used', () => {
  let world: World;
  afterEach(async () => { await world.close(); });

  const clientIds = () => world.as.seen.filter((s) => s.route === 'authorization' || s.route === 'token').map((s) => s.params['client_id']);

  test('a client pre-registered in policy is used as is: no registration', async () => {
    world = await World.start({ as: { preRegisteredClientIds: ['gatehouse-preregistered'], clientMetadataDocuments: { [CIMD_URL]: CIMD_DOCUMENT } } });
    const credentials = world.credentials(undefined, { config: { clientId: 'gatehouse-preregistered', clientMetadataUrl: CIMD_URL } });
    assert.equal((await callTool(world.server.url, credentials, 'whoami')).isError, false);
    assert.equal(world.as.count('registration'), 0);
    assert.deepEqual([...new Set(clientIds())], ['gatehouse-preregistered']);
  });

  test('the client ID metadata document URL is the client_id when the server supports it: no registration', async () => {
    world = await World.start({ as: { clientMetadataDocuments: { [CIMD_URL]: CIMD_DOCUMENT } } });
    const credentials = world.credentials(undefined, { config: { clientMetadataUrl: CIMD_URL } });
    const answer = await callTool(world.server.url, credentials, 'whoami');
    assert.equal(answer.isError, false);
    assert.equal(JSON.parse(answer.text).clientId, CIMD_URL, 'the server saw a token issued to the CIMD client');
    assert.equal(world.as.count('registration'), 0);
    assert.deepEqual([...new Set(clientIds())], [CIMD_URL]);
  });

  test('a metadata document URL is not used with a server that does not support it: dynamic registration instead', async () => {
    world = await World.start();
    const credentials = world.credentials(undefined, { config: { clientMetadataUrl: CIMD_URL } });
    assert.equal((await callTool(world.server.url, credentials, 'whoami')).isError, false);
    assert.equal(world.as.count('registration'), 1);
    assert.ok(!clientIds().includes(CIMD_URL));
  });

  test('without registration, metadata documents or a configured client, the user is told to ask the admin', async () => {
    world = await World.start({ as: { registration: false } });
    await assert.rejects(world.credentials().authorization(), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'GATEHOUSE_UPSTREAM_AUTH_FAILED');
      assert.match(error.message, /auth\.clientId/);
      return true;
    });
    assert.equal(world.opener.opened.length, 0);
  });
});
