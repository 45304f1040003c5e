import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { callTool } from './mcp-call.js';
import { World } from './world.js';

const ACCOUNT_PREFIX = 'oauth-tokens:server-0:';

describe('oauth upstream: refresh', () => {
  let world: World;
  beforeEach(async () => { world = await World.start({ as: { accessTokenTtlSeconds: 300 } }); });
  afterEach(async () => { await world.close(); });

  const grants = (type: string) => world.as.seen.filter((s) => s.route === 'token' && s.params['grant_type'] === type);

  test('an expired access token is refreshed with the refresh token and the same resource, without consent', async () => {
    const credentials = world.credentials();
    const first = await credentials.authorization();
    world.clock.advance(10 * 60_000);
    const second = await credentials.authorization();
    assert.notEqual(second, first);
    assert.equal(world.opener.opened.length, 1);
    const [refresh] = grants('refresh_token');
    assert.equal(refresh?.params['resource'], world.server.url);
    const answer = await callTool(world.server.url, credentials, 'whoami');
    assert.equal(answer.isError, false);
    assert.equal(world.server.seen.filter((s) => s.path === '/mcp').at(-1)?.authorization, second);
  });

  test('parallel callers with an expired token share one refresh', async () => {
    const credentials = world.credentials();
    await credentials.authorization();
    world.clock.advance(10 * 60_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => credentials.authorization()));
    assert.equal(new Set(results).size, 1);
    assert.equal(grants('refresh_token').length, 1);
  });

  test('after a restart, an expired token is refreshed from the keychain', async () => {
    await world.credentials().authorization();
    world.clock.advance(10 * 60_000);
    const answer = await callTool(world.server.url, world.credentials(), 'whoami');
    assert.equal(answer.isError, false);
    assert.equal(grants('refresh_token').length, 1);
    assert.equal(world.opener.opened.length, 1);
  });

  test('a refresh token the server no longer honours leads to a new consent', async () => {
    await world.credentials().authorization();
    const account = [...world.secrets.entries.keys()].find((k) => k.startsWith(ACCOUNT_PREFIX))!;
    const stored = JSON.parse(world.secrets.entries.get(account)!) as Record<string, unknown>;
    world.secrets.entries.set(account, JSON.stringify({ ...stored, refreshToken: 'revoked-or-forged', expiresAt: 0 }));
    const answer = await callTool(world.server.url, world.credentials(), 'whoami');
    assert.equal(answer.isError, false);
    assert.equal(world.opener.opened.length, 2);
  });

  test('a 401 for a token that is not brand new is answered by a refresh and a retry', async () => {
    const credentials = world.credentials();
    const token = (await credentials.authorization())!.replace('Bearer ', '');
    world.clock.advance(2 * 60_000); // still within its lifetime by the clock
    const retry = await credentials.rejected({ status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', token });
    assert.equal(retry, true);
    assert.equal(grants('refresh_token').length, 1);
    assert.notEqual(await credentials.authorization(), `Bearer ${token}`);
  });

  test('parallel 401s for the same token share one refresh', async () => {
    const credentials = world.credentials();
    const token = (await credentials.authorization())!.replace('Bearer ', '');
    world.clock.advance(2 * 60_000);
    const challenge = { status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', token };
    const answers = await Promise.all(Array.from({ length: 5 }, () => credentials.rejected(challenge)));
    assert.deepEqual(answers, [true, true, true, true, true]);
    assert.equal(grants('refresh_token').length, 1);
    assert.equal(world.opener.opened.length, 1);
  });

  test('a 401 for a token just obtained by consent is not retried, so a misconfigured server cannot loop the browser', async () => {
    const credentials = world.credentials();
    const token = (await credentials.authorization())!.replace('Bearer ', '');
    const retry = await credentials.rejected({ status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', token });
    assert.equal(retry, false);
    assert.equal(world.opener.opened.length, 1);
  });

  test('a 401 for an older token that was already replaced just retries with the current one', async () => {
    const credentials = world.credentials();
    const old = (await credentials.authorization())!.replace('Bearer ', '');
    world.clock.advance(10 * 60_000);
    await credentials.authorization(); // refreshed
    assert.equal(await credentials.rejected({ status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', token: old }), true);
    assert.equal(grants('refresh_token').length, 1);
  });
});
