import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ADMIN_SCOPE, READ_SCOPE } from '../../../fixtures/oauth/protected-mcp-server.js';
import { callTool } from './mcp-call.js';
import { claimsOf, World } from './world.js';

describe('oauth upstream: step-up on 403 insufficient_scope', () => {
  let world: World;
  afterEach(async () => { await world.close(); });

  test('re-authorizes with the union of scopes and the retried call succeeds', async () => {
    world = await World.start();
    const credentials = world.credentials(undefined, { config: { scopes: [READ_SCOPE] } });
    assert.equal((await callTool(world.server.url, credentials, 'whoami')).isError, false);
    assert.equal(world.opener.opened.length, 1);

    const answer = await callTool(world.server.url, credentials, 'admin_action');
    assert.equal(answer.isError, false, answer.text);
    assert.equal(answer.text, 'admin action done');
    assert.equal(world.opener.opened.length, 2, 'one more consent, for the wider scope');
    const scopes = world.as.seen.filter((s) => s.route === 'authorization').map((s) => String(s.params['scope']));
    assert.deepEqual(scopes, [`${READ_SCOPE} offline_access`, `${READ_SCOPE} offline_access ${ADMIN_SCOPE}`]);
    const last = world.server.seen.filter((s) => s.path === '/mcp').at(-1);
    assert.match(String(claimsOf(last?.authorization)['scope']), new RegExp(ADMIN_SCOPE));
    const refused = world.server.seen.filter((s) => s.status === 403);
    assert.equal(refused.length, 1, 'exactly one 403 before the step-up');
  });

  test('asks for a scope set once: when the grant still falls short, the 403 stands and no window reopens', async () => {
    world = await World.start();
    world.as.addResource(world.server.url, [READ_SCOPE]); // this server's users may never get admin
    const credentials = world.credentials(undefined, { config: { scopes: [READ_SCOPE] } });
    await assert.rejects(callTool(world.server.url, credentials, 'admin_action'), /Insufficient scope/);
    assert.equal(world.opener.opened.length, 2, 'initial consent and one step-up');
    await assert.rejects(callTool(world.server.url, credentials, 'admin_action'), /Insufficient scope/);
    assert.equal(world.opener.opened.length, 2, 'no third window for the same scope set');
  });

  test('parallel 403s for the same scope share one step-up', async () => {
    world = await World.start();
    const credentials = world.credentials(undefined, { config: { scopes: [READ_SCOPE] } });
    const token = (await credentials.authorization())!.replace('Bearer ', '');
    const challenge = `Bearer error="insufficient_scope", scope="${ADMIN_SCOPE}"`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => credentials.rejected({ status: 403, wwwAuthenticate: challenge, token })));
    assert.deepEqual(answers, [true, true, true, true, true]);
    assert.equal(world.opener.opened.length, 2);
  });

  test('a 403 without insufficient_scope, or without a scope to add, is not retried', async () => {
    world = await World.start();
    const credentials = world.credentials();
    const token = (await credentials.authorization())!.replace('Bearer ', '');
    assert.equal(await credentials.rejected({ status: 403, wwwAuthenticate: 'Bearer error="insufficient_scope"', token }), false);
    assert.equal(await credentials.rejected({ status: 403, wwwAuthenticate: undefined, token }), false);
    assert.equal(world.opener.opened.length, 1);
  });
});

describe('oauth upstream: a declined step-up', () => {
  test('is a consent-required error, and may be asked again once the hold-off has passed', async () => {
    const world = await World.start();
    try {
      const credentials = world.credentials(undefined, { config: { scopes: [READ_SCOPE] } });
      const token = (await credentials.authorization())!.replace('Bearer ', '');
      const challenge = `Bearer error="insufficient_scope", scope="${ADMIN_SCOPE}"`;
      world.opener.decision = 'deny';
      await assert.rejects(credentials.rejected({ status: 403, wwwAuthenticate: challenge, token }), /not granted in the browser/);
      world.clock.advance(60_000);
      world.opener.decision = 'approve';
      assert.equal(await credentials.rejected({ status: 403, wwwAuthenticate: challenge, token }), true);
      assert.equal(world.opener.opened.length, 3);
    } finally {
      await world.close();
    }
  });
});
