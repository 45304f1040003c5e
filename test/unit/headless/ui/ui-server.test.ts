// The UI server's doors, with plain HTTP (node:http, so the Host header can be forged as a
// DNS-rebinding page would): the one-time link, the cookie, Host and Origin checks, the headers.
// The calls behind the doors are in ui-server-calls.test.ts.
import assert from 'node:assert/strict';
import { send } from '../../../helpers/http-send.js';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readUiAssets, type UiAsset } from '../../../../main/headless/ui/ui-assets.js';
import { UiServer, type UiCalls } from '../../../../main/headless/ui/ui-server.js';

const ASSETS = new Map<string, UiAsset>([
  ['/index.html', { body: Buffer.from('<!doctype html><title>Gatehouse prompts</title><script type="module" src="/assets/app-1.js"></script>'), contentType: 'text/html; charset=utf-8' }],
  ['/assets/app-1.js', { body: Buffer.from('console.log(1)'), contentType: 'text/javascript; charset=utf-8' }],
]);

describe("the UI server's doors", () => {
  let ui: UiServer;
  let cookie: string;
  let port: number;
  const own = () => `http://127.0.0.1:${port}`;
  const signedIn = (headers: Record<string, string> = {}) => ({ cookie, ...headers });
  const CALL = '/api/call/dashboard.get';

  before(async () => {
    ui = await UiServer.start({ assets: ASSETS });
    port = ui.port;
    const link = new URL(ui.link());
    const reply = await send(port, { path: `${link.pathname}${link.search}` });
    cookie = String(reply.headers['set-cookie']?.[0]).split(';')[0]!;
  });
  after(async () => {
    await ui.stop();
  });

  test('listens on 127.0.0.1 only', () => {
    assert.match(ui.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(port, 0);
  });

  test('the one-time link sets an HttpOnly SameSite=Strict cookie and redirects to / without the token; it works once', async () => {
    const link = new URL(ui.link());
    assert.equal(link.origin, ui.origin);
    assert.match(link.searchParams.get('t') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const first = await send(port, { path: `/${link.search}` });
    assert.equal(first.status, 303);
    assert.equal(first.headers.location, '/');
    const set = String(first.headers['set-cookie']?.[0]);
    assert.match(set, new RegExp(`^gatehouse_ui_${port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    assert.ok(!set.includes(link.searchParams.get('t')!), 'the cookie is not the token');
    const again = await send(port, { path: `/${link.search}` });
    assert.equal(again.status, 403);
    assert.match(again.body, /already used or is not valid/);
    const page = await send(port, { headers: { cookie: set.split(';')[0]! } });
    assert.equal(page.status, 200);
    assert.match(page.body, /Gatehouse prompts/);
  });

  test('a used link with a signed-in cookie just goes home', async () => {
    const link = new URL(ui.link());
    await send(port, { path: `/${link.search}` });
    const again = await send(port, { path: `/${link.search}`, headers: signedIn() });
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, '/');
  });

  test('without the cookie (or with a made-up one) nothing but a 401 explaining what to do', async () => {
    for (const headers of [{} as Record<string, string>, { cookie: `gatehouse_ui_${port}=forged` }, { cookie: cookie.replace(`gatehouse_ui_${port}`, 'gatehouse_ui_1') }]) {
      for (const p of ['/', '/assets/app-1.js', '/api/events']) {
        const reply = await send(port, { path: p, headers });
        assert.equal(reply.status, 401, `${p} ${JSON.stringify(headers)}`);
      }
      const call = await send(port, { method: 'POST', path: CALL, headers: { ...headers, origin: own(), 'content-type': 'application/json' }, body: '{}' });
      assert.equal(call.status, 401);
      assert.equal(JSON.parse(call.body).error.code, 'GATEHOUSE_UI_UNAUTHORIZED');
    }
    assert.match((await send(port, {})).body, /Open the link Gatehouse printed/);
  });

  test('refuses a foreign Host (DNS rebinding) with 403, before the token is even looked at', async () => {
    const link = new URL(ui.link());
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.1`]) {
      const reply = await send(port, { path: `/${link.search}`, headers: { host } });
      assert.equal(reply.status, 403, host);
      assert.equal(reply.headers['set-cookie'], undefined);
      assert.equal((await send(port, { headers: signedIn({ host }) })).status, 403);
    }
    assert.equal((await send(port, { path: `/${link.search}` })).status, 303, 'the token was not used up by the refused requests');
    assert.equal((await send(port, { headers: signedIn({ host: `localhost:${port}` }) })).status, 200);
  });

  test('refuses a foreign Origin, a cross-site fetch, and a POST without Origin', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      assert.equal((await send(port, { headers: signedIn({ origin }) })).status, 403, origin);
    }
    assert.equal((await send(port, { headers: signedIn({ 'sec-fetch-site': 'cross-site' }) })).status, 403);
    const noOrigin = await send(port, { method: 'POST', path: CALL, headers: signedIn({ 'content-type': 'application/json' }), body: '{}' });
    assert.equal(noOrigin.status, 403);
    assert.equal((await send(port, { headers: signedIn({ origin: own() }) })).status, 200);
  });

  test('no CORS: a preflight is refused and no response allows another origin', async () => {
    const preflight = await send(port, { method: 'OPTIONS', path: CALL, headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 403);
    const ownPreflight = await send(port, { method: 'OPTIONS', path: CALL, headers: signedIn({ origin: own() }) });
    assert.equal(ownPreflight.status, 405);
    for (const reply of [preflight, ownPreflight, await send(port, { headers: signedIn() })]) {
      assert.ok(!Object.keys(reply.headers).some((h) => h.startsWith('access-control-')));
    }
  });

  test('every response carries a strict CSP and forbids framing', async () => {
    for (const reply of [await send(port, { headers: signedIn() }), await send(port, {}), await send(port, { path: '/api/events', headers: signedIn() }), await send(port, { headers: { host: 'evil.example' } })]) {
      const csp = String(reply.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
      assert.equal(reply.headers['x-frame-options'], 'DENY');
      assert.equal(reply.headers['x-content-type-options'], 'nosniff');
      assert.equal(reply.headers['referrer-policy'], 'no-referrer');
    }
  });

  test('serves only the UI files: hashed assets cached, anything else 404', async () => {
    const js = await send(port, { path: '/assets/app-1.js', headers: signedIn() });
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(String(js.headers['cache-control']), /immutable/);
    assert.equal((await send(port, { headers: signedIn() })).headers['cache-control'], 'no-store');
    for (const p of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/index.html', '/nope']) {
      assert.equal((await send(port, { path: p, headers: signedIn() })).status, 404, p);
    }
  });
});

describe('stopping the UI server', () => {
  test('ends open event streams so stop() does not hang', async () => {
    const calls: UiCalls = { handle: () => Promise.reject(new Error('not called')), subscribe: () => () => undefined };
    const ui = await UiServer.start({ calls, assets: ASSETS });
    const link = new URL(ui.link());
    const login = await send(ui.port, { path: `/${link.search}` });
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0]!;
    const response = await fetch(`${ui.origin}/api/events`, { headers: { cookie, accept: 'text/event-stream' } });
    const reader = response.body!.getReader();
    await reader.read();
    await ui.stop();
    for (;;) if ((await reader.read()).done) break;
    assert.equal(ui.watchers, 0);
  });
});

describe('reading a built UI from disk', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-ui-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html>');
    await writeFile(path.join(dir, 'assets', 'index-abc.js'), 'x');
    await writeFile(path.join(dir, 'assets', 'index-abc.css'), 'y');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('maps every file to its URL path and content type', async () => {
    const assets = await readUiAssets(dir);
    assert.deepEqual([...assets.keys()].sort(), ['/assets/index-abc.css', '/assets/index-abc.js', '/index.html']);
    assert.equal(assets.get('/assets/index-abc.css')?.contentType, 'text/css; charset=utf-8');
  });

  test('refuses a directory without index.html', async () => {
    await assert.rejects(readUiAssets(path.join(dir, 'assets')), { code: 'GATEHOUSE_INTERNAL' });
  });
});
