import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { callTool } from './mcp-call.js';
import { claimsOf, World } from './world.js';

describe('oauth upstream: dynamic registration, consent, tool call', () => {
  let world: World;
  beforeEach(async () => { world = await World.start(); });
  afterEach(async () => { await world.close(); });

  test('registers, asks for consent once and calls a tool with a token whose audience is the server', async () => {
    const answer = await callTool(world.server.url, world.credentials(), 'whoami');
    assert.equal(answer.isError, false, answer.text);
    await world.opener.settled();
    assert.deepEqual(world.opener.failures, []);
    assert.equal(world.opener.opened.length, 1, 'one browser window');
    assert.equal(world.as.count('registration'), 1, 'one dynamic registration');
    const accepted = world.server.seen.filter((s) => s.claims !== undefined);
    assert.ok(accepted.length > 0, 'the server accepted the token');
    for (const request of accepted) assert.equal(request.claims?.aud, world.server.url);
  });

  test('the authorization request uses PKCE S256, a state and the server as RFC 8707 resource; so does the token request', async () => {
    await callTool(world.server.url, world.credentials(), 'whoami');
    const [authorize] = world.as.seen.filter((s) => s.route === 'authorization');
    const [token] = world.as.seen.filter((s) => s.route === 'token');
    assert.equal(authorize?.params['code_challenge_method'], 'S256');
    assert.match(String(authorize?.params['code_challenge']), /^[A-Za-z0-9_-]{43}$/);
    assert.ok(String(authorize?.params['state']).length >= 32);
    assert.equal(authorize?.params['resource'], world.server.url);
    assert.match(String(authorize?.params['redirect_uri']), /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.equal(token?.params['grant_type'], 'authorization_code');
    assert.equal(token?.params['resource'], world.server.url);
    assert.ok(token?.params['code_verifier']);
    const shown = world.opener.opened[0];
    assert.ok(shown instanceof URL, 'the Opener receives a parsed URL');
    assert.equal(shown.origin, world.as.issuer);
    assert.equal(shown.searchParams.get('resource'), world.server.url);
  });

  test('the tokens live in the SecretStore under a key for this server, and a restarted Gatehouse reuses them without consent', async () => {
    await callTool(world.server.url, world.credentials(), 'whoami');
    const accounts = [...world.secrets.entries.keys()];
    assert.ok(accounts.includes(`oauth-tokens:server-0:${world.server.url}`), accounts.join(', '));
    assert.ok(accounts.includes(`oauth-client:server-0:${world.as.issuer}`), accounts.join(', '));

    const restarted = world.credentials(); // a new instance over the same keychain
    const answer = await callTool(world.server.url, restarted, 'whoami');
    assert.equal(answer.isError, false);
    assert.equal(world.opener.opened.length, 1, 'no second consent');
    assert.equal(world.as.count('registration'), 1, 'no second registration');
    assert.equal(world.as.count('authorization'), 1);
  });

  test('a second sign-in (tokens lost) reuses the stored registration instead of registering again', async () => {
    await callTool(world.server.url, world.credentials(), 'whoami');
    world.secrets.entries.delete(`oauth-tokens:server-0:${world.server.url}`);
    await callTool(world.server.url, world.credentials(), 'whoami');
    assert.equal(world.opener.opened.length, 2);
    assert.equal(world.as.count('registration'), 1);
  });

  test('parallel callers while consent is pending share one browser window and one token', async () => {
    const credentials = world.credentials();
    const results = await Promise.all(Array.from({ length: 8 }, () => credentials.authorization()));
    assert.equal(new Set(results).size, 1);
    assert.match(results[0] ?? '', /^Bearer ey/);
    assert.equal(world.opener.opened.length, 1);
    assert.equal(world.as.count('registration'), 1);
    assert.equal(world.as.count('token'), 1);
  });
});

describe('oauth upstream: where the protected-resource metadata is found', () => {
  let world: World | undefined;
  after(async () => { await world?.close(); });

  test('from the resource_metadata of the 401 challenge when the well-known location has none', async () => {
    world = await World.start({ servers: [{ metadataAt: 'challenge' }] });
    const answer = await callTool(world.server.url, world.credentials(), 'whoami');
    assert.equal(answer.isError, false, answer.text);
    const paths = world.server.seen.map((s) => s.path);
    assert.ok(paths.includes('/oauth/resource-metadata'), paths.join(' '));
    // The first MCP request went out bare and drew the challenge; none carried another credential.
    const mcp = world.server.seen.filter((s) => s.path === '/mcp');
    assert.equal(mcp[0]?.authorization, undefined);
    assert.equal(mcp[0]?.status, 401);
    for (const request of mcp.slice(1)) assert.equal(claimsOf(request.authorization)['aud'], world.server.url);
    assert.equal(world.opener.opened.length, 1);
    await world.close();
    world = undefined;
  });

  test('from the RFC 9728 well-known path (inserted before /mcp) when the challenge names none', async () => {
    world = await World.start({ servers: [{ metadataAt: 'well-known' }] });
    const credentials = world.credentials();
    // Drive the 401 path explicitly: the challenge carries no resource_metadata.
    const challenge = 'Bearer error="invalid_token", scope="tools:read"';
    assert.equal(await credentials.rejected({ status: 401, wwwAuthenticate: challenge, token: undefined }), true);
    assert.ok(world.server.seen.some((s) => s.path === '/.well-known/oauth-protected-resource/mcp'));
    const [authorize] = world.as.seen.filter((s) => s.route === 'authorization');
    assert.equal(authorize?.params['scope'], 'tools:read offline_access', 'the challenge scope is asked for');
    await world.close();
    world = undefined;
  });
});
