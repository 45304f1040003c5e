import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { ProtectedMcpServer } from '../../../fixtures/oauth/protected-mcp-server.js';
import { callTool } from './mcp-call.js';
import { World } from './world.js';

describe('oauth upstream: tokens reach only the server they were minted for', () => {
  let world: World;
  let a: ProtectedMcpServer;
  let b: ProtectedMcpServer;
  beforeEach(async () => {
    world = await World.start({ servers: [{}, {}] });
    [a, b] = world.servers as [ProtectedMcpServer, ProtectedMcpServer];
  });
  afterEach(async () => { await world.close(); });

  /** Verifies every Authorization header a server received: signed by the AS, audience = that server. */
  async function assertOnlyOwnTokens(server: ProtectedMcpServer): Promise<number> {
    const jwks = createRemoteJWKSet(new URL(world.as.jwksUri));
    let count = 0;
    for (const { authorization } of server.seen) {
      if (authorization === undefined) continue;
      const token = authorization.replace(/^Bearer /, '');
      await jwtVerify(token, jwks, { issuer: world.as.issuer, audience: server.url });
      count += 1;
    }
    return count;
  }

  test('two servers sharing one authorization server and one keychain each receive only their own token', async () => {
    const forA = world.credentials(a, { serverId: 'alpha' });
    const forB = world.credentials(b, { serverId: 'beta' });
    assert.equal((await callTool(a.url, forA, 'whoami')).isError, false);
    assert.equal((await callTool(b.url, forB, 'whoami')).isError, false);
    assert.ok((await assertOnlyOwnTokens(a)) > 0);
    assert.ok((await assertOnlyOwnTokens(b)) > 0);
    assert.notEqual(await forA.authorization(), await forB.authorization());
    const resources = world.as.seen.filter((s) => s.route === 'authorization').map((s) => s.params['resource']);
    assert.deepEqual(resources, [a.url, b.url], 'one consent per server, each for its own resource');
  });

  test("a record filed under one server's key but made for another is never handed out", async () => {
    const forA = world.credentials(a, { serverId: 'alpha' });
    await forA.authorization();
    const tokenOfA = await forA.authorization();
    // Someone (or a bug) files alpha's token under beta's account.
    const alphaRecord = world.secrets.entries.get(`oauth-tokens:alpha:${a.url}`)!;
    world.secrets.entries.set(`oauth-tokens:beta:${b.url}`, alphaRecord);
    const forB = world.credentials(b, { serverId: 'beta' });
    const tokenForB = await forB.authorization();
    assert.notEqual(tokenForB, tokenOfA);
    assert.equal(world.opener.opened.length, 2, 'beta got its own consent');
    assert.match(world.logger.lines.join('\n'), /ignored stored OAuth tokens that belong to another server/);
  });

  test('the same server under another policy id or URL does not see the tokens', async () => {
    await world.credentials(a, { serverId: 'alpha' }).authorization();
    await world.credentials(a, { serverId: 'alpha-renamed' }).authorization();
    assert.equal(world.opener.opened.length, 2);
  });

  test('no token, refresh token or authorization code appears in logs or error messages', async () => {
    const credentials = world.credentials(a, { serverId: 'alpha' });
    await callTool(a.url, credentials, 'whoami');
    world.clock.advance(10 * 60_000);
    await credentials.authorization(); // a refresh
    world.opener.decision = 'deny';
    const other = world.credentials(b, { serverId: 'beta' });
    const failure = await other.authorization().then(() => undefined, (error: Error) => error.message);
    assert.ok(failure);

    const secrets: string[] = [];
    for (const value of world.secrets.entries.values()) {
      const record = JSON.parse(value) as Record<string, unknown>;
      for (const key of ['accessToken', 'refreshToken']) if (typeof record[key] === 'string') secrets.push(record[key]);
    }
    for (const s of world.as.seen) if (typeof s.params['code'] === 'string') secrets.push(s.params['code']);
    assert.ok(secrets.length >= 3);
    const said = [...world.logger.lines, failure].join('\n');
    for (const secret of secrets) assert.ok(!said.includes(secret), 'a secret leaked into a log line or an error');
  });
});
