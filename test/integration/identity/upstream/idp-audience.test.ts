// auth.mode idp-audience through a real broker: the demo IdP issues, by refresh grant with RFC 8707
// `resource`, a JWT for the protected server, which verifies it against the IdP's keys.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { World } from './world.js';

const TTL_SECONDS = 120;

describe('auth mode idp-audience', () => {
  let w: World;
  before(async () => {
    w = await World.start({ servers: [{ id: 'alpha', mode: 'idp-audience' }], idp: { resourceAccessTokenTtlSeconds: TTL_SECONDS } });
  });
  after(() => w?.stop());

  test("the server gets a JWT for its own audience with the user's subject and groups", async () => {
    const c = await w.connect();
    const who = await w.whoami(c, 'alpha');
    assert.deepEqual(who, { server: 'alpha', sub: 'dev', aud: w.server('alpha').url, iss: w.idp.issuer, groups: ['developer'] });
  });

  test('one token serves every request until `leeway` before it expires; then a new one is obtained', async () => {
    const c = await w.connect();
    const alpha = w.server('alpha');
    await w.whoami(c, 'alpha');
    const first = alpha.tokensSeen().at(-1)!;
    const grants = w.idp.tokenRequests('refresh_token');
    // 30 s of leeway: a 120 s token is renewed from 90 s on.
    w.id.clock.advance(89_000);
    await w.whoami(c, 'alpha');
    assert.equal(alpha.tokensSeen().at(-1), first);
    assert.equal(w.idp.tokenRequests('refresh_token'), grants);
    w.id.clock.advance(1_000);
    const who = await w.whoami(c, 'alpha');
    const second = alpha.tokensSeen().at(-1)!;
    assert.notEqual(second, first);
    assert.equal(w.idp.tokenRequests('refresh_token'), grants + 1);
    assert.equal(who.sub, 'dev');
    assert.equal(decodeJwt(second).aud, alpha.url);
  });

  test('a token the server refuses is replaced once and the call succeeds', async () => {
    const c = await w.connect();
    const alpha = w.server('alpha');
    await w.whoami(c, 'alpha');
    const refused = alpha.tokensSeen().at(-1)!;
    const grants = w.idp.tokenRequests('refresh_token');
    alpha.revoke(refused);
    const who = await w.whoami(c, 'alpha');
    assert.equal(who.sub, 'dev');
    const withRefused = alpha.seen.filter((r) => r.authorization === `Bearer ${refused}`);
    assert.ok(withRefused.some((r) => r.status === 401), 'the server answered 401 to the revoked token');
    assert.notEqual(alpha.tokensSeen().at(-1), refused);
    assert.equal(w.idp.tokenRequests('refresh_token'), grants + 1, 'one new grant');
    assert.deepEqual(w.id.prompts, [], 'the user was not asked to sign in');
  });
});

describe('auth mode idp-audience, refused by the IdP', () => {
  let w: World;
  before(async () => {
    // The IdP issues tokens for alpha only.
    w = await World.start({ servers: [{ id: 'alpha', mode: 'idp-audience' }, { id: 'beta', mode: 'idp-audience' }], idpResources: (urls) => [urls['alpha']!] });
  });
  after(() => w?.stop());

  test('says the IdP refused the resource and what to tell the admin, keeps the sign-in and the other servers', async () => {
    const c = await w.connect();
    await assert.rejects(c.client.callTool({ name: 'beta__whoami', arguments: {} }), (error: Error) => {
      assert.match(error.message, /GATEHOUSE_UPSTREAM_AUTH_FAILED/);
      assert.match(error.message, /The IdP refused a token for server 'beta'/);
      assert.match(error.message, new RegExp(`resource ${w.server('beta').url.replace(/[.]/g, '\\.')}`));
      assert.match(error.message, /invalid_target/);
      assert.match(error.message, /Tell your IT admin/);
      return true;
    });
    assert.deepEqual(w.server('beta').tokensSeen(), [], 'beta never got a token');
    assert.equal((await w.whoami(c, 'alpha')).sub, 'dev');
    assert.deepEqual(w.id.prompts, []);
    assert.equal((await w.id.session.status()).signedIn, true);
  });
});

describe('auth mode idp-audience, while the IdP is unreachable', () => {
  let w: World;
  before(async () => {
    w = await World.start({ servers: [{ id: 'alpha', mode: 'idp-audience' }], idp: { resourceAccessTokenTtlSeconds: 120 } });
  });
  after(() => w?.stop());

  test('a token due for renewal but not expired keeps being used; an expired one is not', async () => {
    const c = await w.connect();
    await w.whoami(c, 'alpha');
    const held = w.server('alpha').tokensSeen().at(-1)!;
    await w.idp.takeOffline();
    w.id.clock.advance(95_000);
    assert.equal((await w.whoami(c, 'alpha')).sub, 'dev');
    assert.equal(w.server('alpha').tokensSeen().at(-1), held);
    assert.ok(w.logger.lines.some((l) => /could not renew the token for server 'alpha'/.test(l)));
    w.id.clock.advance(25_000);
    const requests = w.server('alpha').seen.length;
    await assert.rejects(c.client.callTool({ name: 'alpha__whoami', arguments: {} }), /GATEHOUSE_IDP_UNREACHABLE/);
    assert.equal(w.server('alpha').seen.length, requests, 'the expired token was not sent');
    assert.deepEqual(w.id.prompts, []);
  });
});
