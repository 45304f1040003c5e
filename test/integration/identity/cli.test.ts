// `gatehouse login --no-browser`, `whoami` and `logout` as separate processes sharing a real keychain
// (a private Secret Service), against the real demo IdP, with Chromium completing the sign-in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { silentLogger } from '../../../main/core/ports/logger.js';
import type { SecretStore } from '../../../main/core/ports/secret-store.js';
import { openSecretStore } from '../../../main/core/secrets/open-secret-store.js';
import { startDemoIdp, type DemoIdp } from '../../../main/headless/demo/idp/index.js';
import { launchChromium, submitDemoLogin } from '../../helpers/chromium.js';
import { pointThisProcessAt, startSecretService, type PrivateSecretService } from '../../helpers/secret-service.js';
import { filesContaining } from '../core/secrets/files-containing.js';
import { runCli, startCli } from '../headless/cli-runner.js';

describe('gatehouse login, whoami and logout', () => {
  let secretService: PrivateSecretService;
  let keychain: SecretStore;
  let idp: DemoIdp;
  let browser: Browser;
  let dir: string;
  let policy: string;
  let env: NodeJS.ProcessEnv;
  const account = () => `gatehouse.identity:${idp.clientId}@${idp.issuer}`;
  const flags = () => ['--insecure-dev-issuer', '--policy', policy];

  before(async () => {
    secretService = await startSecretService();
    pointThisProcessAt(secretService.env);
    keychain = await openSecretStore({ logger: silentLogger });
    assert.equal(keychain.status().backend, 'keychain');
    [idp, browser, dir] = await Promise.all([startDemoIdp(), launchChromium(), mkdtemp(path.join(tmpdir(), 'gh-identity-cli-'))]);
    policy = path.join(dir, 'policy.json');
    await writeFile(
      policy,
      JSON.stringify({
        version: 1,
        servers: [{ id: 'vendor', url: 'https://mcp.vendor.example.com/mcp', auth: { mode: 'oauth' } }],
        identity: { issuer: idp.issuer, clientId: idp.clientId },
      }),
    );
    env = { ...secretService.env, GATEHOUSE_POLICY: '' };
  });
  after(async () => {
    await browser?.close();
    await idp?.stop();
    await secretService?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('login --no-browser prints the sign-in URL on a line of its own and finishes when the browser signs in', async () => {
    const login = await startCli(['login', '--no-browser', ...flags()], /^http:\/\/127\.0\.0\.1:\d+\/auth\?\S+$/, env);
    try {
      const exited = once(login.child, 'exit') as Promise<[number | null]>;
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(login.line);
        await submitDemoLogin(page, 'dev');
        const [code] = await exited;
        assert.equal(code, 0, login.output());
        assert.match(await page.textContent('#message') ?? '', /signed in to Gatehouse/);
      } finally {
        await context.close();
      }
      const output = login.output();
      assert.match(output, /Signed in as Dana Developer \(dev\)\. Roles: developer\./);
      assert.match(output, /Sign-in kept in: OS keychain\./);
      assert.match(output, /WARNING: --insecure-dev-issuer is for tests and the demo IdP only/);
    } finally {
      await login.stop();
    }
    const stored = JSON.parse((await keychain.get(account()))!) as { refreshToken: string; idToken: string };
    assert.ok(stored.refreshToken.length > 20);
    for (const place of [secretService.root, dir]) {
      assert.deepEqual(await filesContaining(place, stored.refreshToken), [], `no file under ${place} holds the refresh token`);
    }
    assert.ok(!login.output().includes(stored.refreshToken) && !login.output().includes(stored.idToken), 'no token is printed');
  });

  test('whoami, in another process, shows the subject, roles, expiry and the keychain, and no token', async () => {
    const stored = JSON.parse((await keychain.get(account()))!) as { refreshToken: string; idToken: string };
    const text = await runCli(['whoami', ...flags()], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /subject: +dev/);
    assert.match(text.stdout, /name: +Dana Developer/);
    assert.match(text.stdout, /roles: +developer/);
    assert.match(text.stdout, /access token expires: +\d{4}-\d\d-\d\dT/);
    assert.match(text.stdout, /secrets: +OS keychain/);
    const json = await runCli(['whoami', '--json', ...flags()], env);
    const status = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(status['subject'], 'dev');
    assert.deepEqual(status['roles'], ['developer']);
    assert.deepEqual(status['secrets'], { backend: 'keychain' });
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      assert.ok(!output.includes(stored.refreshToken) && !output.includes(stored.idToken), 'no token is printed');
    }
  });

  test('logout revokes at the IdP and removes the sign-in and the tokens of oauth servers; whoami then says nobody is signed in', async () => {
    // As the oauth mode stores them after the user consented at the vendor (see identity/oauth/token-vault.ts).
    const vendorAccount = 'oauth-tokens:vendor:https://mcp.vendor.example.com/mcp';
    await keychain.set(vendorAccount, '{"serverId":"vendor"}');
    const out = await runCli(['logout', ...flags()], env);
    assert.equal(await keychain.get(vendorAccount), undefined);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Signed out: the IdP revoked your sign-in/);
    assert.equal(idp.revocationRequests(), 1);
    assert.equal(await keychain.get(account()), undefined);
    const who = await runCli(['whoami', ...flags()], env);
    assert.equal(who.code, 1);
    assert.match(who.stdout, /Not signed in to .* Run: gatehouse login/);
  });

  test('without --insecure-dev-issuer a plain-http IdP is refused, naming the flag', async () => {
    const out = await runCli(['login', '--no-browser', '--policy', policy], env);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /plain http.*--insecure-dev-issuer.*\[GATEHOUSE_UNSAFE_URL\]/);
    assert.doesNotMatch(out.stdout, /http:\/\/127/);
  });

  test('a policy without an identity section says there is nothing to sign in to', async () => {
    const bare = path.join(dir, 'bare.json');
    await writeFile(bare, JSON.stringify({ version: 1, servers: [] }));
    const out = await runCli(['whoami', '--policy', bare], env);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /no "identity" section.*\[GATEHOUSE_IDENTITY_NOT_CONFIGURED\]/);
  });
});
