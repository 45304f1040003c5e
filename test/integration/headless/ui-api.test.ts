// The UI calls end to end over loopback HTTP, as the browser UI makes them: the renderer's HTTP
// client (with Node's fetch carrying the page's cookie and Origin) → the headless UI server → the
// UiService over a real broker, twin server, audit log and prompt board.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import type { GatehouseApi, UiResult, UiTopic } from '../../../common/ui-api.js';
import type { UiAsset } from '../../../main/headless/ui/ui-assets.js';
import { UiServer } from '../../../main/headless/ui/ui-server.js';
import { httpGatehouseApi } from '../../../renderer/src/http-gatehouse-api.js';
import { NodeEventSource } from '../../helpers/node-event-source.js';
import { startUiWorld, type UiWorld } from '../../helpers/ui-world.js';

const ASSETS = new Map<string, UiAsset>([['/index.html', { body: Buffer.from('<!doctype html><title>Gatehouse</title>'), contentType: 'text/html; charset=utf-8' }]]);

/** Opens the one-time link as a browser would, and returns the session cookie it sets. */
function openLink(link: string): Promise<string> {
  const url = new URL(link);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}` }, (res) => {
      res.resume();
      resolve(String(res.headers['set-cookie']?.[0] ?? '').split(';')[0]!);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The browser UI's client, with what a same-origin browser adds by itself: the base URL, the cookie and the Origin. */
function pageClient(ui: UiServer, cookie: string, onSignedOut?: () => void): GatehouseApi {
  return httpGatehouseApi({
    fetch: (input, init) => fetch(new URL(String(input), ui.origin), { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin: ui.origin } }),
    eventSource: (path) => new NodeEventSource(new URL(path, ui.origin).href, { cookie }),
    ...(onSignedOut ? { onSignedOut } : {}),
  });
}

function value<T>(result: UiResult<T>): T {
  assert.ok(result.ok, `expected a value, got ${JSON.stringify(result)}`);
  return result.value;
}

/**
 * Watches `topic` on the page's event stream, once it is live (the page is told once when it opens,
 * since what changed before was not announced). Call next() before causing a change, await it after.
 */
async function watch(api: GatehouseApi, topic: UiTopic): Promise<{ next(): Promise<void>; stop(): void }> {
  let told = 0;
  let wake = () => {};
  const stop = api.subscribe(topic, () => {
    told++;
    wake();
  });
  const after = (n: number) => new Promise<void>((resolve) => ((wake = () => void (told > n && resolve())), wake()));
  await after(0);
  return { next: () => after(told), stop };
}

describe('the UI calls over loopback HTTP', () => {
  let world: UiWorld;
  let ui: UiServer;
  let api: GatehouseApi;
  let mcp: Client;

  before(async () => {
    world = await startUiWorld();
    ui = await UiServer.start({ calls: world.service, assets: ASSETS });
    api = pageClient(ui, await openLink(ui.link()));
    mcp = await world.harness.connect('/mcp', { name: 'cursor-test' });
    await mcp.listTools();
  });
  after(async () => {
    await mcp?.close();
    await ui?.stop();
    await world?.stop();
  });

  test('nothing is answered without the cookie of a one-time link: the page learns it is signed out', async () => {
    let signedOut = 0;
    const stranger = pageClient(ui, `gatehouse_ui_${ui.port}=made-up`, () => signedOut++);
    const refused = await stranger.call('dashboard.get', {});
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'GATEHOUSE_UI_UNAUTHORIZED');
    assert.equal(signedOut, 1);
  });

  test('a call round trip: the dashboard, checked against the contract on both ends', async () => {
    await mcp.callTool({ name: 'alpha__search', arguments: { query: 'invoices' } });
    const dashboard = value(await api.call('dashboard.get', {}));
    assert.equal(dashboard.endpoint, world.harness.url);
    assert.equal(dashboard.servers[0]?.health, 'ready');
    assert.ok(dashboard.servers[0]?.tools.some((t) => t.name === 'search' && t.state === 'ok'));
    const refused = await api.call('activity.query', { limit: 0 });
    assert.ok(!refused.ok && refused.error.code === 'GATEHOUSE_BAD_REQUEST' && /limit/.test(refused.error.message));
  });

  test('an audited tool call reaches the open page as an activity event, and the page reads it', async () => {
    const activity = await watch(api, 'activity');
    const event = activity.next();
    await mcp.callTool({ name: 'alpha__get_item', arguments: { id: 'announced' } });
    await event;
    activity.stop();
    const [latest] = value(await api.call('activity.query', { type: 'tool.call', limit: 1 })).events;
    assert.deepEqual(latest?.arguments, { id: 'announced' });
    assert.equal(value(await api.call('activity.verify', {})).ok, true);
  });

  test('pausing from the page holds back the agent, and resuming lets it through', async () => {
    const dashboard = await watch(api, 'dashboard');
    const changed = dashboard.next();
    assert.deepEqual(value(await api.call('tools.setPaused', { paused: true })), { paused: true });
    await changed;
    dashboard.stop();
    try {
      await assert.rejects(mcp.callTool({ name: 'alpha__search', arguments: { query: 'held' } }), /GATEHOUSE_TOOLS_PAUSED/);
    } finally {
      value(await api.call('tools.setPaused', { paused: false }));
    }
    const result = await mcp.callTool({ name: 'alpha__search', arguments: { query: 'resumed' } });
    assert.ok(!result.isError);
  });

  test('a prompt appears on the page and its answer reaches the one waiting for it', async () => {
    const prompts = await watch(api, 'prompts');
    const shown = prompts.next();
    const waiting = world.board.approve(
      { id: 'r', client: { name: 'cursor' }, user: 'dana', server: { id: 'alpha' }, tool: { name: 'search' }, arguments: {}, reasons: ['policy'], expiresAt: Date.now() + 60_000 },
      new AbortController().signal,
    );
    await shown;
    prompts.stop();
    const [prompt] = value(await api.call('prompts.get', {})).prompts;
    assert.equal(prompt?.kind, 'approval');
    assert.deepEqual(value(await api.call('prompts.answer', { id: prompt!.id, answer: { kind: 'approval', answer: 'deny' } })), { ok: true });
    assert.equal(await waiting, 'deny');
  });
});
