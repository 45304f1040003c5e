import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseError } from '../../../../../common/errors.js';
import { TokenExchangeCredentials } from '../../../../../main/core/identity/upstream/token-exchange-credentials.js';
import { ManualClock } from '../../../../helpers/manual-clock.js';
import { FakeIdentity, jwt, RecordingLogger } from './fake-identity.js';

const URL_ = 'https://tickets.example.com/mcp';

function setup(options: { audience?: string; scopes?: string[] } = {}) {
  const identity = new FakeIdentity();
  const credentials = new TokenExchangeCredentials({
    serverId: 'tickets',
    identity,
    clock: new ManualClock(0),
    logger: new RecordingLogger(),
    audience: options.audience ?? URL_,
    resource: URL_,
    scopes: options.scopes,
  });
  return { identity, credentials };
}

test("exchanges the user's access token for the server's audience and resource", async () => {
  const { identity, credentials } = setup({ audience: 'api://tickets', scopes: ['tickets.read'] });
  identity.answer = () => Promise.resolve({ access_token: 'exchanged', token_type: 'bearer', expires_in: 300, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
  assert.equal(await credentials.authorization(), 'Bearer exchanged');
  assert.deepEqual(identity.grants, [
    {
      kind: 'exchange',
      request: { subjectTokenType: 'access_token', requestedTokenType: 'urn:ietf:params:oauth:token-type:access_token', audience: 'api://tickets', resource: URL_, scope: 'tickets.read' },
    },
  ]);
});

test('refuses an exchange answered with something other than an access token', async () => {
  const { identity, credentials } = setup();
  identity.answer = () => Promise.resolve({ access_token: 'an-id-token', token_type: 'n_a', issued_token_type: 'urn:ietf:params:oauth:token-type:id_token' });
  await assert.rejects(credentials.authorization(), { code: 'GATEHOUSE_UPSTREAM_AUTH_FAILED', message: /not an access token/ });
});

test('accepts a JWT whose audience is the configured audience or the resource, and nothing else', async () => {
  const { identity, credentials } = setup({ audience: 'api://tickets' });
  identity.answer = () => Promise.resolve({ access_token: jwt({ aud: 'api://tickets' }), token_type: 'bearer', expires_in: 300 });
  assert.match(await credentials.authorization(), /^Bearer /);
  const other = setup({ audience: 'api://tickets' });
  other.identity.answer = () => Promise.resolve({ access_token: jwt({ aud: ['https://idp.example.com/userinfo'] }), token_type: 'bearer', expires_in: 300 });
  await assert.rejects(other.credentials.authorization(), { code: 'GATEHOUSE_UPSTREAM_AUTH_FAILED', message: /will not send it to server 'tickets'/ });
});

test('an IdP refusal names the audience and the advice for the admin; an unreachable IdP passes through', async () => {
  const { identity, credentials } = setup();
  identity.answer = () => Promise.reject(new GatehouseError('GATEHOUSE_IDP_ERROR', 'the IdP refused the token exchange: unauthorized_client (HTTP 400)'));
  await assert.rejects(credentials.authorization(), { code: 'GATEHOUSE_UPSTREAM_AUTH_FAILED', message: new RegExp(`audience ${URL_}.*unauthorized_client.*Tell your IT admin.*RFC 8693`) });
  identity.answer = () => Promise.reject(new GatehouseError('GATEHOUSE_IDP_UNREACHABLE', 'cannot reach the IdP'));
  await assert.rejects(credentials.authorization(), { code: 'GATEHOUSE_IDP_UNREACHABLE' });
});
