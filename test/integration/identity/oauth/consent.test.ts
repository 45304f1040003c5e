import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { World } from './world.js';

function consentRequired(pattern: RegExp) {
  return (error: Error & { code?: string }): boolean => {
    assert.equal(error.code, 'GATEHOUSE_UPSTREAM_CONSENT_REQUIRED', error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

/** Whether anything still listens on the loopback redirect URI of a consent page. */
async function listening(consentUrl: URL | undefined): Promise<boolean> {
  const redirect = new URL(consentUrl?.searchParams.get('redirect_uri') ?? '');
  try {
    await fetch(redirect, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('oauth upstream: when consent cannot be had now', () => {
  let world: World;
  beforeEach(async () => { world = await World.start(); });
  afterEach(async () => { await world.close(); });

  test('the user declines: consent-required error, and no window reopens until the hold-off passes', async () => {
    world.opener.decision = 'deny';
    const credentials = world.credentials();
    await assert.rejects(credentials.authorization(), consentRequired(/not granted in the browser.*retry/i));
    await assert.rejects(credentials.authorization(), consentRequired(/not granted in the browser a moment ago\. Retry in 30 s/));
    assert.equal(world.opener.opened.length, 1, 'a retry straight away does not pop the browser up again');

    world.clock.advance(60_000);
    world.opener.decision = 'approve';
    assert.match((await credentials.authorization()) ?? '', /^Bearer /);
    assert.equal(world.opener.opened.length, 2);
  });

  test('the user never finishes: the wait ends at the timeout and the loopback listener is closed', async () => {
    world.opener.decision = 'ignore';
    const credentials = world.credentials(undefined, { consentTimeoutMs: 300 });
    await assert.rejects(credentials.authorization(), consentRequired(/not completed within 1 minute/));
    assert.equal(await listening(world.opener.opened[0]), false);
  });

  test("a caller's abort ends only its wait; later callers join the same pending consent", async () => {
    world.opener.decision = 'ignore';
    const credentials = world.credentials();
    await assert.rejects(credentials.authorization(AbortSignal.timeout(200)), consentRequired(/waiting for you to authorize/));
    await assert.rejects(credentials.authorization(AbortSignal.timeout(200)), consentRequired(/waiting for you/));
    assert.equal(world.opener.opened.length, 1, 'one window for both');
    assert.equal(await listening(world.opener.opened[0]), true, 'the sign-in is still pending');
    await credentials.close();
    assert.equal(await listening(world.opener.opened[0]), false, 'close() ends it');
  });

  test('after close(), nothing opens a browser any more', async () => {
    const credentials = world.credentials();
    await credentials.close();
    await assert.rejects(credentials.authorization(), consentRequired(/shutting down/));
    assert.equal(world.opener.opened.length, 0);
  });

  test('no browser can be opened: consent-required error naming the server', async () => {
    const credentials = world.credentials(undefined, { opener: { open: () => Promise.reject(new Error('no display')) } });
    await assert.rejects(credentials.authorization(), consentRequired(/server "server-0".*no browser could be opened/i));
  });

  test('a callback with the wrong state is ignored, not accepted', async () => {
    world.opener.decision = 'ignore';
    const credentials = world.credentials(undefined, { consentTimeoutMs: 2000 });
    const pending = credentials.authorization();
    for (let i = 0; i < 200 && world.opener.opened.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const redirect = new URL(world.opener.opened[0]!.searchParams.get('redirect_uri')!);
    redirect.searchParams.set('code', 'attacker-code');
    redirect.searchParams.set('state', 'forged');
    const res = await fetch(redirect);
    assert.equal(res.status, 400);
    assert.doesNotMatch(await res.text(), /attacker-code|forged/, 'the page echoes nothing from the request');
    await assert.rejects(pending, consentRequired(/not completed/));
    assert.equal(world.as.count('token'), 0, 'the forged code was never redeemed');
  });
});
