import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { ResponseBodyError } from 'openid-client';
import { countSince, startIdentityHarness, type IdentityHarness } from './harness.js';

const ACCESS_TTL_S = 120;

/** A refresh grant straight at the IdP, outside Gatehouse: to see what the IdP thinks of a token. */
async function refreshAtIdp(h: IdentityHarness, refreshToken: string): Promise<string> {
  const config = await oidc.discovery(new URL(h.idp.issuer), h.idp.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  try {
    await oidc.refreshTokenGrant(config, refreshToken);
    return 'accepted';
  } catch (error) {
    if (error instanceof ResponseBodyError) return error.error;
    throw error;
  }
}

describe('refreshing the sign-in', () => {
  let h: IdentityHarness;
  before(async () => {
    h = await startIdentityHarness({ idp: { accessTokenTtlSeconds: ACCESS_TTL_S, resources: ['https://mcp.example.com/mcp'] } });
    await h.signIn('dev');
  });
  after(() => h.stop());

  test('concurrent callers with an expired access token share exactly one refresh at the IdP', async () => {
    const before = await h.session.accessToken();
    h.clock.advance(ACCESS_TTL_S * 1000);
    const from = h.idp.tokenRequests('refresh_token');
    const tokens = await Promise.all(Array.from({ length: 12 }, () => h.session.accessToken()));
    assert.equal(h.idp.tokenRequests('refresh_token') - from, 1);
    assert.equal(new Set(tokens).size, 1);
    assert.notEqual(tokens[0], before);
  });

  test('a token that is still fresh is served from memory without asking the IdP', async () => {
    await h.session.accessToken();
    const from = h.requests.length;
    await h.session.accessToken();
    assert.equal(h.requests.length, from);
  });

  test('rotation: the new refresh token is stored before use, and the old one is refused by the IdP afterwards', async () => {
    const old = (await h.stored())!.refreshToken;
    h.clock.advance(ACCESS_TTL_S * 1000);
    await h.session.accessToken();
    const rotated = (await h.stored())!.refreshToken;
    assert.notEqual(rotated, old);
    // The stored token is the live one: the next refresh succeeds with it.
    h.clock.advance(ACCESS_TTL_S * 1000);
    await h.session.accessToken();
    assert.equal(await refreshAtIdp(h, old), 'invalid_grant');
  });
});

describe('every use of the refresh token is serialised', () => {
  let h: IdentityHarness;
  before(async () => {
    h = await startIdentityHarness({ idp: { accessTokenTtlSeconds: ACCESS_TTL_S, resources: ['https://a.example.com/mcp', 'https://b.example.com/mcp'] } });
    await h.signIn('dev');
  });
  after(() => h.stop());

  test('per-resource refresh grants racing a session refresh all succeed, one after the other', async () => {
    h.clock.advance(ACCESS_TTL_S * 1000);
    const from = h.idp.tokenRequests('refresh_token');
    // With a rotating IdP, two of these using the same refresh token would revoke the whole sign-in.
    const results = await Promise.all([
      h.session.accessToken(),
      h.session.refreshGrant({ resource: 'https://a.example.com/mcp' }),
      h.session.refreshGrant({ resource: 'https://b.example.com/mcp' }),
      h.session.accessToken(),
      h.session.refreshGrant({ resource: 'https://a.example.com/mcp' }),
    ]);
    assert.equal(h.idp.tokenRequests('refresh_token') - from, 4);
    assert.equal(results[0], results[3]);
    h.clock.advance(ACCESS_TTL_S * 1000);
    assert.ok(await h.session.accessToken(), 'the sign-in survived');
    assert.deepEqual(h.prompts, []);
  });
});

describe('a sign-in revoked at the IdP', () => {
  let h: IdentityHarness;
  before(async () => {
    h = await startIdentityHarness({ idp: { accessTokenTtlSeconds: ACCESS_TTL_S } });
    await h.signIn('dev');
  });
  after(() => h.stop());

  test('invalid_grant wipes the tokens, asks for a sign-in once, and every call says to sign in', async () => {
    assert.equal(h.idp.revokeAllGrantsFor('dev'), 1);
    h.clock.advance(ACCESS_TTL_S * 1000);
    const from = h.requests.length;
    const required = { code: 'GATEHOUSE_SIGN_IN_REQUIRED', message: /gatehouse login/ };
    await assert.rejects(h.session.accessToken(), required);
    assert.equal(await h.stored(), undefined);
    assert.equal((await h.session.status()).signedIn, false);
    await assert.rejects(h.session.accessToken(), required);
    await assert.rejects(h.session.idToken(), required);
    await assert.rejects(h.session.refreshGrant({ resource: 'https://x.example.com' }), required);
    assert.equal(h.prompts.length, 1);
    assert.match(h.prompts[0]!, /ended at the IdP/);
    assert.equal(countSince(h.requests, from, '/token'), 1, 'only the refused refresh reached the IdP');
  });

  test('signing in again ends the need; the next need asks again', async () => {
    await h.signIn('dev');
    assert.ok(await h.session.accessToken());
    h.idp.revokeAllGrantsFor('dev');
    h.clock.advance(ACCESS_TTL_S * 1000);
    await assert.rejects(h.session.accessToken(), { code: 'GATEHOUSE_SIGN_IN_REQUIRED' });
    assert.equal(h.prompts.length, 2);
  });
});

describe('roles', () => {
  let h: IdentityHarness;
  before(async () => {
    h = await startIdentityHarness({ idp: { accessTokenTtlSeconds: ACCESS_TTL_S } });
  });
  after(() => h.stop());

  test('come from the ID token at sign-in and follow a change at the IdP at the next refresh', async () => {
    const changes: Array<[readonly string[], readonly string[]]> = [];
    h.session.onRolesChanged((roles, previous) => changes.push([roles, previous]));
    assert.deepEqual((await h.signIn('dev')).roles, ['developer']);
    h.idp.setGroups('dev', ['developer', 'sre']);
    assert.deepEqual((await h.session.status()).roles, ['developer'], 'unchanged until the next refresh');
    h.clock.advance(ACCESS_TTL_S * 1000);
    await h.session.accessToken();
    assert.deepEqual((await h.session.status()).roles, ['developer', 'sre']);
    assert.deepEqual(changes, [
      [['developer'], []],
      [['developer', 'sre'], ['developer']],
    ]);
  });

  test('are read at the claim the policy names', async () => {
    // Same IdP and client, so this session reads the same stored sign-in; only the claim differs.
    const other = h.newSession({ config: { issuer: h.idp.issuer, clientId: h.idp.clientId, scopes: ['openid'], roleClaim: 'email', extraAuthParams: {} } });
    assert.deepEqual((await other.status()).roles, ['dev@demo.gatehouse.invalid']);
  });
});

describe('clock skew', () => {
  let h: IdentityHarness;
  beforeEach(async () => {
    // Short ID tokens, so a skew beyond the tolerance shows on the ID token's exp.
    h = await startIdentityHarness({ idp: { accessTokenTtlSeconds: ACCESS_TTL_S, idTokenTtlSeconds: 120 } });
    await h.signIn('dev');
  });
  afterEach(() => h.stop());

  test('a computer clock 4 minutes fast is tolerated', async () => {
    h.clock.set(Date.now() + 4 * 60_000);
    const from = h.idp.tokenRequests('refresh_token');
    assert.ok(await h.session.accessToken());
    assert.equal(h.idp.tokenRequests('refresh_token') - from, 1);
    assert.equal((await h.session.status()).signedIn, true);
  });

  test('a clock 10 minutes fast is reported as a clock problem, the rotated refresh token is kept, and fixing the clock recovers', async () => {
    h.clock.set(Date.now() + 10 * 60_000);
    const spent = (await h.stored())!.refreshToken;
    await assert.rejects(h.session.accessToken(), { code: 'GATEHOUSE_IDP_ERROR', message: /clock/ });
    assert.notEqual((await h.stored())!.refreshToken, spent, 'the refresh token the IdP rotated to was stored');
    h.clock.set(Date.now() + ACCESS_TTL_S * 1000);
    const from = h.idp.tokenRequests('refresh_token');
    assert.ok(await h.session.accessToken());
    assert.equal(h.idp.tokenRequests('refresh_token') - from, 1);
    assert.deepEqual(h.prompts, [], 'the sign-in was never lost');
  });
});
