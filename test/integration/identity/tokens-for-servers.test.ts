// The IdP-side grants the per-server auth modes build on: refresh with an RFC 8707 resource
// (idp-audience), RFC 8693 token exchange (token-exchange), and ID-JAG issuance (id-jag).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ID_JAG_TYP, TOKEN_TYPE_ID_JAG } from '../../../main/headless/demo/idp/index.js';
import type { IdpFetch } from '../../../main/core/identity/oidc-client.js';
import { startIdentityHarness, type IdentityHarness } from './harness.js';

const MCP = 'https://mcp.example.com/mcp';
const AS = 'https://as.example.com';

describe('tokens for MCP servers from the IdP', () => {
  let h: IdentityHarness;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  before(async () => {
    h = await startIdentityHarness({ idp: { resources: [MCP], idJagAudiences: { [AS]: 'gatehouse-at-as' } } });
    await h.signIn('dev');
    jwks = createRemoteJWKSet(new URL(`${h.idp.issuer}/jwks`));
  });
  after(() => h.stop());

  test('a refresh grant with resource returns a JWT access token for that audience, verifiable with the IdP keys', async () => {
    const spent = (await h.stored())!.refreshToken;
    const response = await h.session.refreshGrant({ resource: MCP });
    assert.ok(!('refresh_token' in response), 'the refresh token never leaves the session');
    const { payload, protectedHeader } = await jwtVerify(response.access_token, jwks, { issuer: h.idp.issuer, audience: MCP });
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.sub, 'dev');
    assert.deepEqual(payload['groups'], ['developer']);
    assert.notEqual((await h.stored())!.refreshToken, spent, 'the rotated refresh token was stored');
  });

  test('a resource the IdP does not serve is an IdP error, and the sign-in is kept', async () => {
    await assert.rejects(h.session.refreshGrant({ resource: 'https://unknown.example.com/mcp' }), { code: 'GATEHOUSE_IDP_ERROR', message: /invalid_target/ });
    assert.ok(await h.session.refreshGrant({ resource: MCP }));
    assert.deepEqual(h.prompts, []);
  });

  test('refreshGrant refuses to let a caller set the refresh token or grant type', async () => {
    await assert.rejects(h.session.refreshGrant({ refresh_token: 'x' }), { code: 'GATEHOUSE_INTERNAL' });
    await assert.rejects(h.session.refreshGrant({ grant_type: 'password' }), { code: 'GATEHOUSE_INTERNAL' });
  });

  test('token exchange turns the user\'s access token into a JWT for the resource with the same subject and groups', async () => {
    const response = await h.session.exchange({ subjectTokenType: 'access_token', resource: MCP });
    assert.equal(response.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token');
    const { payload } = await jwtVerify(response.access_token, jwks, { issuer: h.idp.issuer, audience: MCP });
    assert.equal(payload.sub, 'dev');
    assert.deepEqual(payload['groups'], ['developer']);
  });

  test('an exchange the IdP refuses (invalid_grant) is tried once more with a refreshed access token', async () => {
    // The IdP judging the subject token expired (its clock ahead of ours, a slow machine) is made
    // real by spoiling the first exchange's subject token on its way there.
    let spoiled = 0;
    const spoilFirstExchange: IdpFetch = (url, init) => {
      const body = new URLSearchParams(String(init?.body ?? ''));
      if (body.get('grant_type') === 'urn:ietf:params:oauth:grant-type:token-exchange' && spoiled++ === 0) {
        body.set('subject_token', 'expired-at-the-idp');
        return fetch(url, { ...(init as RequestInit), body });
      }
      return fetch(url, init as RequestInit);
    };
    const session = h.newSession({ fetch: spoilFirstExchange });
    const before = await session.accessToken();
    const response = await session.exchange({ subjectTokenType: 'access_token', resource: MCP });
    const { payload } = await jwtVerify(response.access_token, jwks, { issuer: h.idp.issuer, audience: MCP });
    assert.equal(payload.sub, 'dev');
    assert.equal(spoiled, 2, 'two exchanges: the refused one and the retry');
    assert.notEqual(await session.accessToken(), before, 'the session refreshed for the retry');
    assert.deepEqual(h.prompts, [], 'no sign-in was asked for');
  });

  test('an exchange refused twice is reported, not retried forever', async () => {
    const spoilEveryExchange: IdpFetch = (url, init) => {
      const body = new URLSearchParams(String(init?.body ?? ''));
      if (body.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange') return fetch(url, init as RequestInit);
      body.set('subject_token', 'expired-at-the-idp');
      return fetch(url, { ...(init as RequestInit), body });
    };
    const session = h.newSession({ fetch: spoilEveryExchange });
    await assert.rejects(session.exchange({ subjectTokenType: 'access_token', resource: MCP }), { code: 'GATEHOUSE_IDP_ERROR', message: /invalid_grant/ });
  });

  test('token exchange of the ID token yields an ID-JAG for the authorization server', async () => {
    const response = await h.session.exchange({ subjectTokenType: 'id_token', requestedTokenType: TOKEN_TYPE_ID_JAG, audience: AS, resource: MCP, scope: 'tickets.read' });
    assert.equal(response.issued_token_type, TOKEN_TYPE_ID_JAG);
    assert.equal(response.token_type, 'n_a');
    assert.equal(decodeProtectedHeader(response.access_token).typ, ID_JAG_TYP);
    const { payload } = await jwtVerify(response.access_token, jwks, { issuer: h.idp.issuer, audience: AS, typ: ID_JAG_TYP });
    assert.equal(payload.sub, 'dev');
    assert.equal(payload['client_id'], 'gatehouse-at-as');
    assert.equal(payload['resource'], MCP);
    assert.equal(payload['scope'], 'tickets.read');
    assert.ok(typeof payload.jti === 'string' && payload.jti.length > 0);
    assert.ok(payload.exp! - payload.iat! <= 300);
  });

  test('an ID-JAG for an authorization server the IdP does not know is refused', async () => {
    await assert.rejects(h.session.exchange({ subjectTokenType: 'id_token', requestedTokenType: TOKEN_TYPE_ID_JAG, audience: 'https://rogue.example.com' }), { code: 'GATEHOUSE_IDP_ERROR', message: /invalid_target/ });
  });
});
