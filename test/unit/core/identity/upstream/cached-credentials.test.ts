// The per-server token cache, seen through the idp-audience mode with a fake identity session.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatehouseError } from '../../../../../common/errors.js';
import { IdpAudienceCredentials } from '../../../../../main/core/identity/upstream/idp-audience-credentials.js';
import type { GrantResponse } from '../../../../../main/core/identity/identity-types.js';
import { ManualClock } from '../../../../helpers/manual-clock.js';
import { deferred, FakeIdentity, jwt, RecordingLogger } from './fake-identity.js';

const RESOURCE = 'https://mcp.example.com/mcp';

function setup(options: { leewayMs?: number } = {}) {
  const identity = new FakeIdentity();
  const clock = new ManualClock(1_700_000_000_000);
  const logger = new RecordingLogger();
  const credentials = new IdpAudienceCredentials({ serverId: 'docs', identity, clock, logger, resource: RESOURCE, ...options });
  return { identity, clock, logger, credentials };
}

const unauthorized = (token: string | undefined) => ({ status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', token });

describe('the per-server token cache', () => {
  test('answers with a Bearer header for a token obtained once and reused', async () => {
    const { identity, credentials } = setup();
    assert.equal(await credentials.authorization(), 'Bearer token-1');
    assert.equal(await credentials.authorization(), 'Bearer token-1');
    assert.equal(identity.grants.length, 1);
    assert.deepEqual(identity.grants[0], { kind: 'refresh', params: { resource: RESOURCE } });
  });

  test('concurrent callers share one grant', async () => {
    const { identity, credentials } = setup();
    const held = deferred<GrantResponse>();
    identity.answer = () => held.promise;
    const calls = Array.from({ length: 10 }, () => credentials.authorization());
    held.resolve({ access_token: 'shared', token_type: 'bearer', expires_in: 300 });
    assert.deepEqual(new Set(await Promise.all(calls)), new Set(['Bearer shared']));
    assert.equal(identity.grants.length, 1);
  });

  test('renews a token `leeway` before it expires, and not earlier', async () => {
    const { identity, clock, credentials } = setup({ leewayMs: 30_000 });
    await credentials.authorization();
    clock.advance(269_999);
    assert.equal(await credentials.authorization(), 'Bearer token-1');
    clock.advance(1);
    assert.equal(await credentials.authorization(), 'Bearer token-2');
    assert.equal(identity.grants.length, 2);
  });

  test('a token that lives shorter than twice the leeway is renewed at half its life, not at every call', async () => {
    const { identity, clock, credentials } = setup({ leewayMs: 30_000 });
    identity.answer = (_g, n) => Promise.resolve({ access_token: `short-${n}`, token_type: 'bearer', expires_in: 40 });
    await credentials.authorization();
    clock.advance(19_000);
    assert.equal(await credentials.authorization(), 'Bearer short-1');
    clock.advance(1_000);
    assert.equal(await credentials.authorization(), 'Bearer short-2');
  });

  test('without expires_in, the expiry comes from the JWT exp', async () => {
    const { identity, clock, credentials } = setup({ leewayMs: 30_000 });
    const exp = Math.floor(clock.now() / 1000) + 120;
    identity.answer = (_g, n) => Promise.resolve({ access_token: jwt({ aud: RESOURCE, exp, n }), token_type: 'bearer' });
    const first = await credentials.authorization();
    clock.advance(89_000);
    assert.equal(await credentials.authorization(), first);
    clock.advance(1_000);
    assert.notEqual(await credentials.authorization(), first);
  });

  test('a refused token is replaced once: true, then false when the fresh one is refused too', async () => {
    const { identity, credentials } = setup();
    const first = await credentials.authorization();
    assert.equal(await credentials.rejected(unauthorized(first)), true);
    const second = await credentials.authorization();
    assert.equal(second, 'Bearer token-2');
    assert.equal(await credentials.rejected(unauthorized(second)), false);
    assert.equal(identity.grants.length, 2);
    // The refused replacement is not kept: the next request starts over with a new token.
    assert.equal(await credentials.authorization(), 'Bearer token-3');
  });

  test('requests refused with the same token at once cause one new grant, and all may retry', async () => {
    const { identity, credentials } = setup();
    const first = await credentials.authorization();
    const answers = await Promise.all([1, 2, 3].map(() => credentials.rejected(unauthorized(first))));
    assert.deepEqual(answers, [true, true, true]);
    assert.equal(identity.grants.length, 2);
  });

  test('a refusal of a token already replaced retries with the current one, without a grant', async () => {
    const { identity, clock, credentials } = setup();
    const old = await credentials.authorization();
    clock.advance(280_000);
    await credentials.authorization();
    assert.equal(await credentials.rejected(unauthorized(old)), true);
    assert.equal(identity.grants.length, 2);
  });

  test('accepts the refused token with or without the Bearer prefix', async () => {
    const { credentials } = setup();
    await credentials.authorization();
    assert.equal(await credentials.rejected(unauthorized('token-1')), true);
    assert.equal(await credentials.authorization(), 'Bearer token-2');
  });

  test('403 insufficient_scope is not retried: the same grant would give the same scopes', async () => {
    const { identity, credentials } = setup();
    const token = await credentials.authorization();
    assert.equal(await credentials.rejected({ status: 403, wwwAuthenticate: 'Bearer error="insufficient_scope", scope="admin"', token }), false);
    assert.equal(await credentials.authorization(), token);
    assert.equal(identity.grants.length, 1);
  });

  test('after sign-out the held token is dropped and the sign-in error passes through', async () => {
    const { identity, credentials } = setup();
    await credentials.authorization();
    identity.subject = undefined;
    identity.answer = () => Promise.reject(new GatehouseError('GATEHOUSE_SIGN_IN_REQUIRED', 'You are not signed in to Gatehouse. Sign in with `gatehouse login`.'));
    await assert.rejects(credentials.authorization(), { code: 'GATEHOUSE_SIGN_IN_REQUIRED', message: /gatehouse login/ });
    assert.equal(identity.grants.length, 2);
  });

  test('a token obtained for one user is never used for another', async () => {
    const { identity, credentials } = setup();
    assert.equal(await credentials.authorization(), 'Bearer token-1');
    identity.subject = 'sre';
    assert.equal(await credentials.authorization(), 'Bearer token-2');
  });

  test('while the IdP is unreachable, a token still within its lifetime keeps being used', async () => {
    const { identity, clock, credentials } = setup({ leewayMs: 30_000 });
    await credentials.authorization();
    identity.answer = () => Promise.reject(new GatehouseError('GATEHOUSE_IDP_UNREACHABLE', 'cannot reach the IdP'));
    clock.advance(285_000);
    assert.equal(await credentials.authorization(), 'Bearer token-1');
    clock.advance(15_000);
    await assert.rejects(credentials.authorization(), { code: 'GATEHOUSE_IDP_UNREACHABLE' });
  });

  test('the IdP refusing the resource becomes GATEHOUSE_UPSTREAM_AUTH_FAILED, saying what to tell the admin', async () => {
    const { identity, credentials } = setup();
    const refusal = new GatehouseError('GATEHOUSE_IDP_ERROR', 'the IdP refused to refresh your sign-in: invalid_target: unknown resource (HTTP 400)');
    identity.answer = () => Promise.reject(refusal);
    await assert.rejects(credentials.authorization(), (error: GatehouseError) => {
      assert.equal(error.code, 'GATEHOUSE_UPSTREAM_AUTH_FAILED');
      assert.match(error.message, /server 'docs'/);
      assert.match(error.message, new RegExp(`resource ${RESOURCE}`));
      assert.match(error.message, /invalid_target/);
      assert.match(error.message, /Tell your IT admin/);
      assert.equal(error.cause, refusal);
      return true;
    });
  });

  test('a failed grant is not remembered: the next call tries again', async () => {
    const { identity, credentials } = setup();
    identity.answer = () => Promise.reject(new GatehouseError('GATEHOUSE_IDP_UNREACHABLE', 'down'));
    await assert.rejects(credentials.authorization(), { code: 'GATEHOUSE_IDP_UNREACHABLE' });
    identity.answer = () => Promise.resolve({ access_token: 'back', token_type: 'bearer', expires_in: 300 });
    assert.equal(await credentials.authorization(), 'Bearer back');
  });

  test('a caller that gives up does not cancel the grant others wait for', async () => {
    const { identity, credentials } = setup();
    const held = deferred<GrantResponse>();
    identity.answer = () => held.promise;
    const abort = new AbortController();
    const impatient = credentials.authorization(abort.signal);
    const patient = credentials.authorization();
    abort.abort(new Error('gave up'));
    await assert.rejects(impatient, /gave up/);
    held.resolve({ access_token: 'late', token_type: 'bearer', expires_in: 300 });
    assert.equal(await patient, 'Bearer late');
    assert.equal(await credentials.authorization(), 'Bearer late');
    assert.equal(identity.grants.length, 1);
  });

  test('refuses a DPoP-bound token and a token for another audience', async () => {
    const { identity, credentials } = setup();
    identity.answer = () => Promise.resolve({ access_token: 'bound', token_type: 'dpop', expires_in: 300 });
    await assert.rejects(credentials.authorization(), { code: 'GATEHOUSE_UPSTREAM_AUTH_FAILED', message: /DPoP/ });
    identity.answer = () => Promise.resolve({ access_token: jwt({ aud: 'https://graph.example.com', sub: 'dev' }), token_type: 'bearer', expires_in: 300 });
    await assert.rejects(credentials.authorization(), { code: 'GATEHOUSE_UPSTREAM_AUTH_FAILED', message: /for https:\/\/graph\.example\.com instead of https:\/\/mcp\.example\.com\/mcp/ });
  });

  test('passes the policy scopes with the resource', async () => {
    const identity = new FakeIdentity();
    const credentials = new IdpAudienceCredentials({ serverId: 'docs', identity, clock: new ManualClock(0), logger: new RecordingLogger(), resource: RESOURCE, scopes: ['read', 'write'] });
    await credentials.authorization();
    assert.deepEqual(identity.grants[0], { kind: 'refresh', params: { resource: RESOURCE, scope: 'read write' } });
  });

  test('never logs a token', async () => {
    const { identity, clock, logger, credentials } = setup();
    identity.answer = (_g, n) => Promise.resolve({ access_token: `secret-token-${n}`, token_type: 'bearer', expires_in: 300 });
    const first = await credentials.authorization();
    await credentials.rejected(unauthorized(first));
    const second = await credentials.authorization();
    await credentials.rejected(unauthorized(second));
    clock.advance(600_000);
    await credentials.authorization();
    identity.subject = 'sre';
    await credentials.authorization();
    assert.ok(logger.lines.length > 0);
    for (const line of logger.lines) assert.doesNotMatch(line, /secret-token/);
  });
});
