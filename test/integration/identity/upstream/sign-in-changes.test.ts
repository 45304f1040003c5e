// What happens to a server's token when the sign-in changes under a running broker: after sign-out
// a held token is never sent again, a sign-in that ended at the IdP asks the user to sign in, and a
// token obtained for one user is never used for the next.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { World, type IdentityMode } from './world.js';

const MODES: IdentityMode[] = ['idp-audience', 'token-exchange', 'id-jag'];

describe('per-server tokens and sign-in changes', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  for (const mode of MODES) {
    test(`${mode}: after sign-out the held token is not sent again and the call asks for sign-in`, async () => {
      w = await World.start({ servers: [{ id: 'alpha', mode }] });
      const c = await w.connect();
      await w.whoami(c, 'alpha');
      const requests = w.server('alpha').seen.length;
      await w.id.session.signOut();
      // A role source that lags behind the sign-out: the token layer must refuse on its own.
      w.rolesOverride = ['developer'];
      await assert.rejects(c.client.callTool({ name: 'alpha__whoami', arguments: {} }), (error: Error) => {
        assert.match(error.message, /GATEHOUSE_SIGN_IN_REQUIRED/);
        assert.match(error.message, /gatehouse login/);
        return true;
      });
      assert.equal(w.server('alpha').seen.length, requests, 'nothing more reached the server');
      assert.equal(w.id.prompts.length, 1, 'the user was asked to sign in once');
    });
  }

  test('a sign-in ended at the IdP: once the token is due for renewal, the call asks for sign-in', async () => {
    w = await World.start({ servers: [{ id: 'alpha', mode: 'idp-audience' }], idp: { resourceAccessTokenTtlSeconds: 120 } });
    const c = await w.connect();
    await w.whoami(c, 'alpha');
    w.idp.revokeAllGrantsFor('dev');
    w.rolesOverride = ['developer'];
    w.id.clock.advance(95_000);
    await assert.rejects(c.client.callTool({ name: 'alpha__whoami', arguments: {} }), (error: Error) => {
      assert.match(error.message, /GATEHOUSE_SIGN_IN_REQUIRED/);
      assert.match(error.message, /Your sign-in has ended at the IdP/);
      return true;
    });
    assert.equal((await w.id.session.status()).signedIn, false);
  });

  test('a token obtained for one user is never sent for the next', async () => {
    w = await World.start({ servers: [{ id: 'alpha', mode: 'idp-audience' }] });
    const c = await w.connect();
    assert.equal((await w.whoami(c, 'alpha')).sub, 'dev');
    const devTokens = new Set(w.server('alpha').tokensSeen());
    await w.id.session.signOut();
    await w.id.signIn('sre');
    const who = await w.whoami(c, 'alpha');
    assert.equal(who.sub, 'sre');
    assert.deepEqual(who.groups, ['sre']);
    assert.ok(!devTokens.has(w.server('alpha').tokensSeen().at(-1)!));
  });
});

describe('a client connected before anyone signed in', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  test('is told to sign in, then sees the tools and calls them as soon as the user signs in', async () => {
    w = await World.start({ servers: [{ id: 'alpha', mode: 'token-exchange' }] });
    const world = w;
    await world.id.session.signOut();
    world.roles = world.id.session.currentRoles(); // signed out: undefined, as the broker's role source reports it
    world.id.session.onChange(() => {
      world.roles = world.id.session.currentRoles();
      world.broker.broker.identityChanged();
    });
    const c = await world.connect();
    assert.deepEqual((await c.client.listTools()).tools, []);
    await assert.rejects(c.client.callTool({ name: 'alpha__whoami', arguments: {} }), /GATEHOUSE_SIGN_IN_REQUIRED/);

    // The tool appears after a list_changed: one when the sign-in is seen, one when the server connects.
    const appeared = new Promise<void>((resolve) => {
      c.client.setNotificationHandler('notifications/tools/list_changed', async () => {
        const { tools } = await c.client.listTools();
        if (tools.some((t) => t.name === 'alpha__whoami')) resolve();
      });
    });
    await world.id.signIn('dev');
    await appeared;
    const who = await world.whoami(c, 'alpha');
    assert.equal(who.sub, 'dev');
  });
});
