// auth.mode id-jag through a real broker: the demo IdP exchanges the user's ID token for an ID-JAG
// addressed to the server's authorization server (a fixture), which verifies it and issues its own
// JWT for the protected server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TOKEN_EXCHANGE_GRANT } from '../../../../main/headless/demo/idp/index.js';
import { DEFAULT_AS_CLIENT_ID, ID_JAG_TYP, JWT_BEARER } from '../../../fixtures/protected/id-jag-authorization-server.js';
import { World, type WorldOptions } from './world.js';

describe('auth mode id-jag', () => {
  let w: World;
  before(async () => {
    w = await World.start({ servers: [{ id: 'crm', mode: 'id-jag' }], as: { accessTokenTtlSeconds: 120 } });
  });
  after(() => w?.stop());

  test("the server gets the authorization server's JWT for its own audience with the user's subject", async () => {
    const c = await w.connect();
    const who = await w.whoami(c, 'crm');
    assert.equal(who.sub, 'dev');
    assert.equal(who.aud, w.server('crm').url);
    assert.equal(who.iss, w.as!.issuer);
  });

  test('the authorization server got a jwt-bearer grant with an ID-JAG for it, from a public client', async () => {
    const [request] = w.as!.tokenRequests;
    assert.ok(request);
    assert.equal(request.status, 200);
    assert.equal(request.params['grant_type'], JWT_BEARER);
    assert.equal(request.params['client_id'], DEFAULT_AS_CLIENT_ID);
    assert.equal(request.params['client_secret'], undefined);
    const jag = request.params['assertion']!;
    assert.equal(decodeProtectedHeader(jag).typ, ID_JAG_TYP);
    const claims = decodeJwt(jag);
    assert.equal(claims.iss, w.idp.issuer);
    assert.equal(claims.aud, w.as!.issuer);
    assert.equal(claims.sub, 'dev');
    assert.equal(claims['resource'], w.server('crm').url);
    assert.equal(claims['client_id'], DEFAULT_AS_CLIENT_ID);
  });

  test('renews through a new ID-JAG shortly before the access token expires; metadata is fetched once', async () => {
    const c = await w.connect();
    const crm = w.server('crm');
    await w.whoami(c, 'crm');
    const first = crm.tokensSeen().at(-1)!;
    const exchanges = w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT);
    const grants = w.as!.tokenRequests.length;
    w.id.clock.advance(89_000);
    await w.whoami(c, 'crm');
    assert.equal(crm.tokensSeen().at(-1), first);
    w.id.clock.advance(1_000);
    await w.whoami(c, 'crm');
    assert.notEqual(crm.tokensSeen().at(-1), first);
    assert.equal(w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT), exchanges + 1, 'one new ID-JAG');
    assert.equal(w.as!.tokenRequests.length, grants + 1, 'one new jwt-bearer grant');
    assert.equal(w.as!.metadataRequests(), 1);
  });

  test('a token the server refuses is replaced once through a new ID-JAG, and the call succeeds', async () => {
    const c = await w.connect();
    const crm = w.server('crm');
    await w.whoami(c, 'crm');
    const refused = crm.tokensSeen().at(-1)!;
    const grants = w.as!.tokenRequests.length;
    crm.revoke(refused);
    assert.equal((await w.whoami(c, 'crm')).sub, 'dev');
    assert.ok(crm.seen.some((r) => r.authorization === `Bearer ${refused}` && r.status === 401));
    assert.equal(w.as!.tokenRequests.length, grants + 1);
  });
});

describe('auth mode id-jag, while the authorization server is down', () => {
  let w: World;
  before(async () => {
    w = await World.start({ servers: [{ id: 'crm', mode: 'id-jag' }], as: { accessTokenTtlSeconds: 120 } });
  });
  after(() => w?.stop());

  test('the current token is used until it expires, then the call says the authorization server cannot be reached', async () => {
    const c = await w.connect();
    await w.whoami(c, 'crm');
    const held = w.server('crm').tokensSeen().at(-1)!;
    await w.as!.close();
    w.id.clock.advance(95_000);
    assert.equal((await w.whoami(c, 'crm')).sub, 'dev');
    assert.equal(w.server('crm').tokensSeen().at(-1), held);
    w.id.clock.advance(25_000);
    await assert.rejects(c.client.callTool({ name: 'crm__whoami', arguments: {} }), (error: Error) => {
      assert.match(error.message, /GATEHOUSE_SERVER_UNAVAILABLE/);
      assert.match(error.message, new RegExp(`cannot reach the authorization server ${w.as!.issuer} of server 'crm'`));
      return true;
    });
  });
});

describe('auth mode id-jag, misconfigured', () => {
  async function failure(options: Omit<WorldOptions, 'servers'>, auth: Record<string, unknown> = {}): Promise<{ message: string; w: World }> {
    const w = await World.start({ ...options, servers: [{ id: 'crm', mode: 'id-jag', auth }] });
    try {
      const c = await w.connect();
      const message = await c.client.callTool({ name: 'crm__whoami', arguments: {} }).then(
        () => assert.fail('the call should have failed'),
        (error: Error) => error.message,
      );
      assert.deepEqual(w.server('crm').tokensSeen(), [], 'the server never got a token');
      return { message, w };
    } finally {
      await w.stop();
    }
  }

  test('an authorization server that refuses the client says so, naming it and what to register', async () => {
    const { message, w } = await failure({ as: { clients: ['someone-else'] } });
    assert.match(message, /GATEHOUSE_UPSTREAM_AUTH_FAILED/);
    assert.match(message, new RegExp(`authorization server ${w.as!.issuer}`));
    assert.match(message, /invalid_client/);
    assert.match(message, new RegExp(`register client id '${DEFAULT_AS_CLIENT_ID}'`));
  });

  test('metadata naming another issuer is refused before any ID-JAG is asked for', async () => {
    const { message, w } = await failure({ as: { advertisedIssuer: 'https://impostor.example.com' } });
    assert.match(message, /GATEHOUSE_UPSTREAM_AUTH_FAILED/);
    assert.match(message, /names another issuer/);
    assert.match(message, /auth\.authorizationServer/);
    assert.equal(w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT), 0);
  });

  test('a token endpoint on the cloud metadata address is refused by the URL guard', async () => {
    const { message, w } = await failure({ as: { metadataOverrides: { token_endpoint: 'https://169.254.169.254/token' } } });
    assert.match(message, /GATEHOUSE_UPSTREAM_AUTH_FAILED/);
    assert.match(message, /refused the token endpoint .* it leads to the cloud instance-metadata service/);
    assert.equal(w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT), 0);
  });

  test('an authorization server without the jwt-bearer grant is refused with advice', async () => {
    const { message } = await failure({ as: { grantTypes: ['authorization_code'] } });
    assert.match(message, /GATEHOUSE_UPSTREAM_AUTH_FAILED/);
    assert.match(message, /does not list the jwt-bearer grant/);
  });

  test('a client id that differs from the one the IdP puts in ID-JAGs is caught before the authorization server', async () => {
    const { message, w } = await failure({}, { clientId: 'not-what-the-idp-says' });
    assert.match(message, /GATEHOUSE_UPSTREAM_AUTH_FAILED/);
    assert.match(message, new RegExp(`client id '${DEFAULT_AS_CLIENT_ID}', but policy gives Gatehouse the client id 'not-what-the-idp-says'`));
    assert.equal(w.as!.tokenRequests.length, 0);
  });

  test('an IdP that will not issue ID-JAGs for the authorization server is reported as an IdP refusal', async () => {
    const { message } = await failure({ idp: { idJagAudiences: { 'https://some-other-as.example.com': 'x' } } });
    assert.match(message, /GATEHOUSE_UPSTREAM_AUTH_FAILED/);
    assert.match(message, /The IdP refused an ID-JAG for server 'crm'/);
    assert.match(message, /invalid_target/);
  });
});
