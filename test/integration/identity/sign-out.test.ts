import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { ResponseBodyError } from 'openid-client';
import { startIdentityHarness, type IdentityHarness } from './harness.js';

async function idpVerdict(h: IdentityHarness, refreshToken: string): Promise<string> {
  const config = await oidc.discovery(new URL(h.idp.issuer), h.idp.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  return oidc.refreshTokenGrant(config, refreshToken).then(
    () => 'accepted',
    (error: unknown) => (error instanceof ResponseBodyError ? error.error : Promise.reject(error)),
  );
}

describe('signing out', () => {
  let h: IdentityHarness;
  beforeEach(async () => {
    h = await startIdentityHarness({ idp: { accessTokenTtlSeconds: 120 } });
    await h.signIn('dev');
  });
  afterEach(() => h.stop());

  test('revokes the refresh token at the IdP and wipes the sign-in', async () => {
    const { refreshToken } = (await h.stored())!;
    const roles: Array<readonly string[]> = [];
    h.session.onRolesChanged((r) => roles.push(r));
    const result = await h.session.signOut();
    assert.deepEqual(result, { wasSignedIn: true, revokedAtIdp: true });
    assert.equal(h.idp.revocationRequests(), 1);
    assert.equal(await h.stored(), undefined);
    assert.equal((await h.session.status()).signedIn, false);
    assert.deepEqual(roles, [[]]);
    assert.equal(await idpVerdict(h, refreshToken), 'invalid_grant');
    await assert.rejects(h.session.accessToken(), { code: 'GATEHOUSE_SIGN_IN_REQUIRED' });
  });

  test('with the IdP unreachable, still wipes locally and says the IdP was not told', async () => {
    await h.idp.takeOffline();
    const result = await h.session.signOut();
    assert.equal(result.revokedAtIdp, false);
    assert.match(result.problem ?? '', /could not be told/);
    assert.equal(await h.stored(), undefined);
    await h.idp.bringOnline();
  });

  test('in another process ends this process\'s sign-in at its next refresh, without asking the IdP', async () => {
    const broker = h.newSession();
    assert.ok(await broker.accessToken());
    await h.newSession().signOut();
    h.clock.advance(120_000);
    const from = h.idp.tokenRequests();
    await assert.rejects(broker.accessToken(), { code: 'GATEHOUSE_SIGN_IN_REQUIRED' });
    assert.equal(h.idp.tokenRequests(), from);
  });

  test('a sign-in made in another process is picked up by a session that was signed out', async () => {
    await h.session.signOut();
    const broker = h.newSession();
    await assert.rejects(broker.accessToken(), { code: 'GATEHOUSE_SIGN_IN_REQUIRED' });
    assert.equal(h.prompts.length, 1);
    await h.signIn('sre', h.newSession());
    assert.ok(await broker.accessToken());
    assert.deepEqual((await broker.status()).roles, ['sre']);
  });

  test('when nobody is signed in, reports that and tells the IdP nothing', async () => {
    await h.session.signOut();
    assert.deepEqual(await h.newSession().signOut(), { wasSignedIn: false, revokedAtIdp: false });
    assert.equal(h.idp.revocationRequests(), 1);
  });
});
