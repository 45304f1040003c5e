// The prompts UI server's doors, with plain HTTP (node:http, so the Host header can be forged as a
// DNS-rebinding page would): the one-time link, the cookie, Host and Origin checks, the headers,
// and the answer API's statuses.
import assert from 'node:assert/strict';
import { send } from '../../../helpers/http-send.js';
import { followEventStream } from '../../../helpers/event-stream.js';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promptsSnapshotSchema, type PromptsSnapshot } from '../../../../common/ui-contract.js';
import type { ApprovalRequest } from '../../../../main/core/ports/prompter.js';
import { BoardPrompter } from '../../../../main/core/prompts/board-prompter.js';
import { readUiAssets, type UiAsset } from '../../../../main/headless/ui/ui-assets.js';
import { UiServer } from '../../../../main/headless/ui/ui-server.js';

const ASSETS = new Map<string, UiAsset>([
  ['/index.html', { body: Buffer.from('<!doctype html><title>Gatehouse prompts</title><script type="module" src="/assets/app-1.js"></script>'), contentType: 'text/html; charset=utf-8' }],
  ['/assets/app-1.js', { body: Buffer.from('console.log(1)'), contentType: 'text/javascript; charset=utf-8' }],
]);

const approval = (over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  id: 'r',
  client: { name: 'cursor' },
  user: 'dev',
  server: { id: 'incidents' },
  tool: { name: 'page_oncall' },
  arguments: {},
  reasons: ['policy'],
  expiresAt: Date.now() + 60_000,
  ...over,
});

describe('the prompts UI server', () => {
  let prompter: BoardPrompter;
  let ui: UiServer;
  let cookie: string;
  let port: number;
  const own = () => `http://127.0.0.1:${port}`;
  const signedIn = (headers: Record<string, string> = {}) => ({ cookie, ...headers });
  const post = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    send(port, { method: 'POST', path: `/api/prompts/${id}/answer`, headers: signedIn({ origin: own(), 'content-type': 'application/json', ...headers }), body: typeof body === 'string' ? body : JSON.stringify(body) });

  before(async () => {
    prompter = new BoardPrompter();
    ui = await UiServer.start({ board: prompter, assets: ASSETS });
    port = ui.port;
    const link = new URL(ui.link());
    const reply = await send(port, { path: `${link.pathname}${link.search}` });
    cookie = String(reply.headers['set-cookie']?.[0]).split(';')[0]!;
  });
  after(async () => {
    prompter.close();
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
      for (const p of ['/', '/assets/app-1.js', '/api/prompts']) {
        const reply = await send(port, { path: p, headers });
        assert.equal(reply.status, 401, `${p} ${JSON.stringify(headers)}`);
      }
      const answer = await send(port, { method: 'POST', path: '/api/prompts/x/answer', headers: { ...headers, origin: own(), 'content-type': 'application/json' }, body: '{}' });
      assert.equal(answer.status, 401);
      assert.equal(JSON.parse(answer.body).code, 'unauthorized');
    }
    assert.match((await send(port, {})).body, /Open the link Gatehouse printed/);
  });

  test('refuses a foreign Host (DNS rebinding) with 403, before the token is even looked at', async () => {
    const link = new URL(ui.link());
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.1`]) {
      const reply = await send(port, { path: `/${link.search}`, headers: { host } });
      assert.equal(reply.status, 403, host);
      assert.equal(reply.headers['set-cookie'], undefined);
      assert.equal((await send(port, { path: '/api/prompts', headers: signedIn({ host }) })).status, 403);
    }
    assert.equal((await send(port, { path: `/${link.search}` })).status, 303, 'the token was not used up by the refused requests');
    assert.equal((await send(port, { path: '/api/prompts', headers: signedIn({ host: `localhost:${port}` }) })).status, 200);
  });

  test('refuses a foreign Origin, a cross-site fetch, and a POST without Origin', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      assert.equal((await send(port, { path: '/api/prompts', headers: signedIn({ origin }) })).status, 403, origin);
    }
    assert.equal((await send(port, { path: '/api/prompts', headers: signedIn({ 'sec-fetch-site': 'cross-site' }) })).status, 403);
    const noOrigin = await send(port, { method: 'POST', path: '/api/prompts/x/answer', headers: signedIn({ 'content-type': 'application/json' }), body: '{}' });
    assert.equal(noOrigin.status, 403);
    assert.equal((await send(port, { path: '/api/prompts', headers: signedIn({ origin: own() }) })).status, 200);
  });

  test('no CORS: a preflight is refused and no response allows another origin', async () => {
    const preflight = await send(port, { method: 'OPTIONS', path: '/api/prompts', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 403);
    const ownPreflight = await send(port, { method: 'OPTIONS', path: '/api/prompts', headers: signedIn({ origin: own() }) });
    assert.equal(ownPreflight.status, 405);
    for (const reply of [preflight, ownPreflight, await send(port, { path: '/api/prompts', headers: signedIn() })]) {
      assert.ok(!Object.keys(reply.headers).some((h) => h.startsWith('access-control-')));
    }
  });

  test('every response carries a strict CSP and forbids framing', async () => {
    for (const reply of [await send(port, { headers: signedIn() }), await send(port, {}), await send(port, { path: '/api/prompts', headers: signedIn() }), await send(port, { headers: { host: 'evil.example' } })]) {
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

  test('GET /api/prompts lists the pending prompts in the contract', async () => {
    const answered = prompter.approve(approval({ tool: { name: 'listed' } }), new AbortController().signal);
    const reply = await send(port, { path: '/api/prompts', headers: signedIn() });
    const snapshot = promptsSnapshotSchema.parse(JSON.parse(reply.body));
    assert.equal(snapshot.prompts.length, 1);
    const shown = snapshot.prompts[0]!;
    assert.ok(shown.kind === 'approval' && shown.request.tool.name === 'listed');
    assert.equal((await post(shown.id, { kind: 'approval', answer: 'deny' })).status, 200);
    assert.equal(await answered, 'deny');
  });

  test('answers: 404 unknown, 410 gone, 409 wrong kind, 400 malformed, 415 not JSON, 422 a form that does not fit', async () => {
    assert.equal((await post('nope', { kind: 'approval', answer: 'deny' })).status, 404);
    const answered = prompter.elicit(
      { id: 'e', client: { name: 'cursor' }, server: { id: 's' }, message: 'How many?', expiresAt: Date.now() + 60_000, mode: 'form', requestedSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] } },
      new AbortController().signal,
    );
    const { id } = prompter.snapshot().prompts[0]!;
    assert.equal((await post(id, { kind: 'approval', answer: 'allow-once' })).status, 409);
    assert.equal((await post(id, { kind: 'elicitation', answer: { action: 'maybe' } })).status, 400);
    assert.equal((await post(id, '{not json')).status, 400);
    assert.equal((await post(id, { kind: 'elicitation', answer: { action: 'decline' } }, { 'content-type': 'text/plain' })).status, 415);
    const invalid = await post(id, { kind: 'elicitation', answer: { action: 'accept', content: { n: 0 } } });
    assert.equal(invalid.status, 422);
    assert.deepEqual(JSON.parse(invalid.body).errors, { n: 'Enter 1 or more.' });
    const accepted = await post(id, { kind: 'elicitation', answer: { action: 'accept', content: { n: 2 } } });
    assert.equal(accepted.status, 200);
    assert.deepEqual(await answered, { action: 'accept', content: { n: 2 } });
    assert.equal((await post(id, { kind: 'elicitation', answer: { action: 'decline' } })).status, 410);
  });

  test('refuses an answer body over the size cap with 413', async () => {
    const reply = await post('x', { kind: 'notice', answer: 'dismiss', pad: 'x'.repeat(300 * 1024) });
    assert.equal(reply.status, 413);
  });

  test('the event stream sends a snapshot at once and another on every change', async () => {
    const response = await fetch(`${own()}/api/prompts`, { headers: { cookie, accept: 'text/event-stream' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const snapshots: PromptsSnapshot[] = [];
    let wake: (() => void) | undefined;
    const stream = followEventStream(response, (event) => {
      assert.equal(event.event, 'snapshot');
      snapshots.push(promptsSnapshotSchema.parse(JSON.parse(event.data)));
      wake?.();
    });
    const until = (n: number) => new Promise<void>((resolve) => ((wake = () => snapshots.length >= n && resolve()), wake()));
    await until(1);
    assert.deepEqual(snapshots[0]!.prompts, []);
    assert.equal(ui.watchers, 1);
    const controller = new AbortController();
    const answered = prompter.approve(approval({ tool: { name: 'streamed' } }), controller.signal);
    await until(2);
    assert.ok(snapshots[1]!.prompts[0]?.kind === 'approval');
    controller.abort();
    await until(3);
    assert.deepEqual(snapshots[2]!.prompts, []);
    assert.equal(await answered, 'deny');
    await stream.stop();
  });
});

describe('stopping the prompts UI server', () => {
  test('ends open event streams so stop() does not hang', async () => {
    const prompter = new BoardPrompter();
    const ui = await UiServer.start({ board: prompter, assets: ASSETS });
    const link = new URL(ui.link());
    const login = await send(ui.port, { path: `/${link.search}` });
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0]!;
    const response = await fetch(`${ui.origin}/api/prompts`, { headers: { cookie, accept: 'text/event-stream' } });
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
