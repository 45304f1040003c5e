// The UI server's binding of the UI calls (POST /api/call/<name>, GET /api/events), with plain HTTP
// and a recording stand-in for the UiService: what reaches the service, the statuses and envelopes
// of transport problems, the event stream and its cleanup, and a UI built only when first opened.
import assert from 'node:assert/strict';
import { send, type Reply } from '../../../helpers/http-send.js';
import { followEventStream } from '../../../helpers/event-stream.js';
import { after, before, describe, test } from 'node:test';
import { UI_TOPICS, type UiResult, type UiTopic } from '../../../../common/ui-api.js';
import type { UiAsset } from '../../../../main/headless/ui/ui-assets.js';
import { UiServer, type UiCalls } from '../../../../main/headless/ui/ui-server.js';

const ASSETS = new Map<string, UiAsset>([['/index.html', { body: Buffer.from('<!doctype html><title>Gatehouse</title>'), contentType: 'text/html; charset=utf-8' }]]);

async function signIn(ui: UiServer): Promise<string> {
  const link = new URL(ui.link());
  const reply = await send(ui.port, { path: `/${link.search}` });
  return String(reply.headers['set-cookie']?.[0]).split(';')[0]!;
}

/** A UiService stand-in: records each call, answers with `answer`, and lets the test publish topics. */
class RecordingCalls implements UiCalls {
  readonly seen: Array<{ name: string; request: unknown }> = [];
  readonly listeners = new Map<UiTopic, Set<() => void>>(UI_TOPICS.map((t) => [t, new Set()]));
  answer: UiResult<unknown> = { ok: true, value: { paused: true } };

  async handle(name: string, request: unknown): Promise<UiResult<unknown>> {
    this.seen.push({ name, request });
    return this.answer;
  }

  subscribe(topic: UiTopic, listener: () => void): () => void {
    this.listeners.get(topic)!.add(listener);
    return () => void this.listeners.get(topic)!.delete(listener);
  }

  publish(topic: UiTopic): void {
    for (const listener of this.listeners.get(topic)!) listener();
  }

  get subscribed(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}

describe('POST /api/call/<name> and GET /api/events', () => {
  let calls: RecordingCalls;
  let ui: UiServer;
  let port: number;
  let cookie: string;
  const own = () => `http://127.0.0.1:${port}`;
  const call = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    send(port, { method: 'POST', path: `/api/call/${name}`, headers: { cookie, origin: own(), 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  before(async () => {
    calls = new RecordingCalls();
    ui = await UiServer.start({ calls, assets: ASSETS });
    port = ui.port;
    cookie = await signIn(ui);
  });
  after(async () => {
    await ui.stop();
  });

  test('a call reaches the service with its name and JSON request, and its answer comes back as sent, with 200', async () => {
    calls.answer = { ok: true, value: { paused: true } };
    const reply = await call('tools.setPaused', { paused: true });
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    assert.equal(reply.headers['cache-control'], 'no-store');
    assert.deepEqual(JSON.parse(reply.body), { ok: true, value: { paused: true } });
    assert.deepEqual(calls.seen.at(-1), { name: 'tools.setPaused', request: { paused: true } });
  });

  test("a call's own error is an answer too: 200 with the envelope", async () => {
    calls.answer = { ok: false, error: { code: 'GATEHOUSE_AUDIT_UNAVAILABLE', message: 'the audit log is damaged' } };
    const reply = await call('activity.query', {});
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), calls.answer);
  });

  test('transport problems: 401 without the cookie, 403 from another origin, 404 no such call, 405, 415, 413, 400', async () => {
    const before = calls.seen.length;
    const expect = async (reply: Reply, status: number, code: string) => {
      assert.equal(reply.status, status, reply.body);
      const body = JSON.parse(reply.body) as UiResult<unknown>;
      assert.ok(!body.ok && body.error.code === code, reply.body);
    };
    await expect(await call('dashboard.get', {}, { cookie: '' }), 401, 'GATEHOUSE_UI_UNAUTHORIZED');
    await expect(await call('dashboard.get', {}, { cookie: `gatehouse_ui_${port}=forged` }), 401, 'GATEHOUSE_UI_UNAUTHORIZED');
    await expect(await call('dashboard.get', {}, { origin: 'http://evil.example' }), 403, 'GATEHOUSE_UI_UNAUTHORIZED');
    await expect(await send(port, { method: 'POST', path: '/api/call/dashboard.get', headers: { cookie, 'content-type': 'application/json' }, body: '{}' }), 403, 'GATEHOUSE_UI_UNAUTHORIZED');
    await expect(await call('nope', {}), 404, 'GATEHOUSE_BAD_REQUEST');
    await expect(await call('__proto__', {}), 404, 'GATEHOUSE_BAD_REQUEST');
    await expect(await call('%E0%A4%A', {}), 404, 'GATEHOUSE_BAD_REQUEST');
    await expect(await send(port, { path: '/api/call/dashboard.get', headers: { cookie } }), 405, 'GATEHOUSE_BAD_REQUEST');
    await expect(await call('dashboard.get', {}, { 'content-type': 'text/plain' }), 415, 'GATEHOUSE_BAD_REQUEST');
    await expect(await call('dashboard.get', { pad: 'x'.repeat(300 * 1024) }), 413, 'GATEHOUSE_BAD_REQUEST');
    await expect(await call('dashboard.get', '{not json'), 400, 'GATEHOUSE_BAD_REQUEST');
    assert.equal(calls.seen.length, before, 'none of them reached the service');
  });

  test('the event stream: one event per topic change, named after the topic, with data {}', async () => {
    const response = await fetch(`${own()}/api/events`, { headers: { cookie, accept: 'text/event-stream' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const events: Array<{ event: string | undefined; data: string }> = [];
    let wake: (() => void) | undefined;
    const stream = followEventStream(response, (event) => (events.push({ event: event.event, data: event.data }), wake?.()));
    while (calls.subscribed < UI_TOPICS.length) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ui.watchers, 1, 'a page watching every topic counts as watching the prompts');
    const until = (n: number) => new Promise<void>((resolve) => ((wake = () => events.length >= n && resolve()), wake()));
    calls.publish('activity');
    calls.publish('dashboard');
    calls.publish('prompts');
    await until(3);
    assert.deepEqual(events, [
      { event: 'activity', data: '{}' },
      { event: 'dashboard', data: '{}' },
      { event: 'prompts', data: '{}' },
    ]);
    await stream.stop();
    while (calls.subscribed > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(ui.watchers, 0, 'cleaned up when the page goes away');
  });

  test('the event stream needs the cookie, and only GET', async () => {
    const reply = await send(port, { path: '/api/events' });
    assert.equal(reply.status, 401);
    assert.equal((JSON.parse(reply.body) as { error: { code: string } }).error.code, 'GATEHOUSE_UI_UNAUTHORIZED');
    assert.equal((await send(port, { method: 'POST', path: '/api/events', headers: { cookie, origin: own() } })).status, 405);
  });

  test('nothing else answers under /api/: the first UI\'s prompt routes are gone (the prompts are calls)', async () => {
    for (const [method, path] of [['GET', '/api/prompts'], ['POST', '/api/prompts/x/answer'], ['GET', '/api/nope']] as const) {
      const reply = await send(port, { method, path, headers: { cookie, origin: own(), 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      assert.equal(reply.status, 404, path);
      assert.deepEqual(JSON.parse(reply.body), { ok: false, error: { code: 'GATEHOUSE_BAD_REQUEST', message: 'Gatehouse has no such call.' } });
    }
  });
});

describe('a UI server without calls', () => {
  test('answers 404 on /api/call and /api/events', async () => {
    const ui = await UiServer.start({ assets: ASSETS });
    try {
      const cookie = await signIn(ui);
      assert.equal((await send(ui.port, { method: 'POST', path: '/api/call/dashboard.get', headers: { cookie, origin: ui.origin, 'content-type': 'application/json' }, body: '{}' })).status, 404);
      assert.equal((await send(ui.port, { path: '/api/events', headers: { cookie } })).status, 404);
    } finally {
      await ui.stop();
    }
  });
});

describe('a UI built when first opened', () => {
  test('the API works before; the page is built once, and a failed build is tried again on the next visit', async () => {
    let builds = 0;
    let fail = true;
    const ui = await UiServer.start({
      calls: new RecordingCalls(),
      assets: async () => {
        builds++;
        if (fail) throw new Error('vite: syntax error');
        return ASSETS;
      },
    });
    try {
      const cookie = await signIn(ui);
      assert.equal(builds, 0, 'nothing built to sign in or to call');
      assert.equal((await send(ui.port, { method: 'POST', path: '/api/call/dashboard.get', headers: { cookie, origin: ui.origin, 'content-type': 'application/json' }, body: '{}' })).status, 200);
      assert.equal(builds, 0);
      const failed = await send(ui.port, { headers: { cookie } });
      assert.equal(failed.status, 503);
      assert.ok(!failed.body.includes('vite'), 'the reason is in the log, not the page');
      fail = false;
      assert.equal((await send(ui.port, { headers: { cookie } })).status, 200);
      assert.equal((await send(ui.port, { headers: { cookie } })).status, 200);
      assert.equal(builds, 2);
    } finally {
      await ui.stop();
    }
  });
});
