import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { withIdentityDefaults } from '../../../main/core/identity/identity-config.js';
import { IdentitySession } from '../../../main/core/identity/identity-session.js';
import type { Logger } from '../../../main/core/ports/logger.js';
import { MemorySecretStore } from '../../../main/core/secrets/memory-secret-store.js';
import { launchChromium, pageOpener, submitDemoLogin, type PageOpener } from '../../helpers/chromium.js';
import { loginWithoutBrowser } from '../../helpers/idp-login.js';
import { startIdentityHarness, type IdentityHarness } from './harness.js';

describe('signing in with the system browser (Chromium)', () => {
  let browser: Browser;
  let h: IdentityHarness;
  let opener: PageOpener | undefined;
  before(async () => {
    browser = await launchChromium();
    h = await startIdentityHarness();
  });
  afterEach(() => opener?.close());
  after(async () => {
    await browser.close();
    await h.stop();
  });

  test('the user fills the IdP login page as dev and ends signed in with roles [developer]', async () => {
    opener = pageOpener(browser);
    const signedIn = h.session.signIn({ opener });
    const page = await opener.page;
    const authorization = new URL(page.url());
    assert.equal(authorization.origin, h.idp.issuer);
    await page.waitForSelector('#username');
    await submitDemoLogin(page, 'dev');
    const status = await signedIn;
    assert.equal(status.signedIn, true);
    assert.equal(status.subject, 'dev');
    assert.equal(status.name, 'Dana Developer');
    assert.deepEqual(status.roles, ['developer']);
    assert.ok(status.accessTokenExpiresAt! > h.clock.now());
    assert.match((await page.textContent('#message')) ?? '', /signed in to Gatehouse/);
    const callback = new URL(page.url());
    assert.match(callback.href, /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    assert.notEqual(callback.port, new URL(h.idp.issuer).port);
  });

  test('the authorization request uses PKCE S256, state, nonce and a loopback redirect', async () => {
    let seen: URL | undefined;
    const signedIn = h.session.signIn({
      opener: {
        open: async (url) => {
          seen = url;
          await loginWithoutBrowser(url, 'dev');
        },
      },
    });
    await signedIn;
    const params = seen!.searchParams;
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.match(params.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok((params.get('state') ?? '').length >= 32);
    assert.ok((params.get('nonce') ?? '').length >= 32);
    assert.match(params.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.deepEqual(params.get('scope')?.split(' '), ['openid', 'profile', 'email', 'offline_access']);
  });

  test('keeps the refresh and ID tokens in the secret store and the access token nowhere but memory', async () => {
    const stored = (await h.stored())!;
    assert.ok(stored.refreshToken.length > 20);
    assert.match(stored.idToken, /^eyJ/);
    const accessToken = await h.session.accessToken();
    const everything = JSON.stringify(stored);
    assert.ok(!everything.includes(accessToken));
    assert.deepEqual(Object.keys(stored).sort(), ['accessTokenExpiresAt', 'clientId', 'idToken', 'idTokenExpiresAt', 'issuer', 'refreshToken', 'updatedAt', 'version']);
  });

  test('a wrong password keeps the user on the login page with an error', async () => {
    opener = pageOpener(browser);
    const controller = new AbortController();
    const signedIn = h.newSession().signIn({ opener, signal: controller.signal });
    const page = await opener.page;
    await submitDemoLogin(page, 'dev', 'not-the-password');
    assert.match((await page.textContent('[role=alert]')) ?? '', /Wrong username or password/);
    controller.abort();
    await assert.rejects(signedIn, { code: 'GATEHOUSE_SIGN_IN_FAILED', message: /cancelled/ });
  });
});

describe('the loopback callback', () => {
  let h: IdentityHarness;
  before(async () => (h = await startIdentityHarness()));
  after(() => h.stop());

  test('refuses an answer whose state does not match, and the real answer still completes the sign-in', async () => {
    let forged: Response | undefined;
    const status = await h.session.signIn({
      opener: {
        open: async (url) => {
          const redirectUri = url.searchParams.get('redirect_uri')!;
          forged = await fetch(`${redirectUri}?code=attacker-code&state=attacker-state`);
          await loginWithoutBrowser(url, 'dev');
        },
      },
    });
    assert.equal(forged!.status, 400);
    assert.match(await forged!.text(), /does not belong to the sign-in/);
    assert.equal(status.subject, 'dev');
  });

  test('an error from the IdP (the user refused) fails the sign-in with the IdP\'s reason', async () => {
    const signedIn = h.newSession().signIn({
      opener: {
        open: async (url) => {
          const back = new URL(url.searchParams.get('redirect_uri')!);
          back.search = new URLSearchParams({ error: 'access_denied', error_description: 'the user said no', state: url.searchParams.get('state')!, iss: h.idp.issuer }).toString();
          fetch(back).catch(() => {});
        },
      },
    });
    await assert.rejects(signedIn, { code: 'GATEHOUSE_SIGN_IN_FAILED', message: /access_denied: the user said no/ });
  });

  test('a sign-in nobody completes times out on the injected clock', async () => {
    const signedIn = h.newSession().signIn({ timeoutMs: 60_000, opener: { open: async () => h.clock.advance(60_000) } });
    await assert.rejects(signedIn, { code: 'GATEHOUSE_SIGN_IN_FAILED', message: /timed out/ });
  });
});

describe('the issuer must be https', () => {
  const config = (issuer: string) => withIdentityDefaults({ issuer, clientId: 'gatehouse-desktop' });
  const lines: string[] = [];
  const logger: Logger = { log: (level, message) => void lines.push(`${level}: ${message}`) };

  test('an http issuer off this machine is refused, with or without the insecure switch', () => {
    for (const allowInsecureIssuer of [false, true]) {
      assert.throws(() => new IdentitySession({ config: config('http://idp.example.com'), secrets: new MemorySecretStore(), allowInsecureIssuer }), { code: 'GATEHOUSE_UNSAFE_URL' });
    }
  });

  test('an http loopback issuer needs the switch, and then says loudly that it is insecure', () => {
    assert.throws(() => new IdentitySession({ config: config('http://127.0.0.1:9999'), secrets: new MemorySecretStore() }), { code: 'GATEHOUSE_UNSAFE_URL', message: /--insecure-dev-issuer/ });
    new IdentitySession({ config: config('http://127.0.0.1:9999'), secrets: new MemorySecretStore(), allowInsecureIssuer: true, logger });
    assert.ok(lines.some((line) => /^warn: .*INSECURE/.test(line)), lines.join('\n'));
  });

  test('an https issuer is accepted without a warning', () => {
    lines.length = 0;
    new IdentitySession({ config: config('https://idp.example.com'), secrets: new MemorySecretStore(), logger });
    assert.deepEqual(lines, []);
  });
});
