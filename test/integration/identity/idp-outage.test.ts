import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countSince, startIdentityHarness, type IdentityHarness } from './harness.js';

const ACCESS_TTL_S = 120;

describe('an IdP that cannot be reached', () => {
  let h: IdentityHarness;
  before(async () => {
    h = await startIdentityHarness({ idp: { accessTokenTtlSeconds: ACCESS_TTL_S } });
    await h.signIn('dev');
  });
  after(() => h.stop());

  test('backs off, keeps the sign-in, serves the access token while it is valid, and recovers when the IdP is back', async () => {
    const token = await h.session.accessToken();
    const storedBefore = await h.stored();
    await h.idp.takeOffline();

    // In the renewal window but not expired: the failed refresh does not take the token away.
    h.clock.advance(70_000);
    let from = h.requests.length;
    assert.equal(await h.session.accessToken(), token);
    assert.equal(countSince(h.requests, from, '/token'), 1);
    const status = await h.session.status();
    assert.ok(status.idpRetryAt !== undefined && status.idpRetryAt > h.clock.now(), 'status says when the next attempt is');

    // While backing off, no request is made at all.
    from = h.requests.length;
    assert.equal(await h.session.accessToken(), token);
    assert.equal(h.requests.length, from);

    // Past expiry: a clear error, still no sign-in prompt, tokens kept.
    h.clock.advance(60_000);
    await assert.rejects(h.session.accessToken(), { code: 'GATEHOUSE_IDP_UNREACHABLE', message: /try again in \d+ s/ });
    from = h.requests.length;
    await assert.rejects(h.session.accessToken(), { code: 'GATEHOUSE_IDP_UNREACHABLE' });
    assert.equal(h.requests.length, from, 'the second failure came from the backoff, not the network');
    assert.deepEqual(await h.stored(), storedBefore);
    assert.deepEqual(h.prompts, []);

    // Back online: the next attempt waits for the backoff, then succeeds with the kept refresh token.
    await h.idp.bringOnline();
    await assert.rejects(h.session.accessToken(), { code: 'GATEHOUSE_IDP_UNREACHABLE' });
    h.clock.advance((status.idpRetryAt! - h.clock.now()) + 5_000);
    const fresh = await h.session.accessToken();
    assert.notEqual(fresh, token);
    assert.equal((await h.session.status()).idpRetryAt, undefined);
  });

  test('consecutive failures wait longer and longer', async () => {
    await h.idp.takeOffline();
    try {
      h.clock.advance(ACCESS_TTL_S * 1000);
      const waits: number[] = [];
      for (let i = 0; i < 4; i++) {
        await assert.rejects(h.session.accessToken(), { code: 'GATEHOUSE_IDP_UNREACHABLE' });
        const retryAt = (await h.session.status()).idpRetryAt!;
        waits.push(retryAt - h.clock.now());
        h.clock.advance(retryAt - h.clock.now());
      }
      assert.deepEqual(waits, [750, 1_500, 3_000, 6_000]);
    } finally {
      await h.idp.bringOnline();
    }
  });
});
