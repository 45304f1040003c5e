// The UI as the desktop app runs it: window.gatehouse is there (the preload bridge), so every call
// and topic goes through it and the page never touches the network (the desktop CSP has
// connect-src 'none'). Electron cannot run here, so the bridge is played by the page's init script
// over a Playwright binding into the same real UiService the IPC handler would call; and what the
// bridge answers is checked against the contract as strictly as what HTTP answers.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { UI_TOPICS } from '../../common/ui-api.js';
import { startCoreUi, type CoreUi } from './core-harness.js';
import { SCREENSHOTS } from './harness.js';

/** The preload bridge's shape (preload/gatehouse-api.ts): call → a UiResult, subscribe → an unsubscribe function. */
const BRIDGE = `(() => {
  const listeners = new Map();
  window.__gatehouseTopic = (topic) => { for (const l of listeners.get(topic) ?? []) l(); };
  window.gatehouse = Object.freeze({
    call: (name, request) => window.__gatehouseCall(name, request),
    subscribe(topic, listener) {
      if (!listeners.has(topic)) listeners.set(topic, new Set());
      const entry = () => listener();
      listeners.get(topic).add(entry);
      return () => listeners.get(topic).delete(entry);
    },
  });
})()`;

interface BridgePage {
  page: Page;
  context: BrowserContext;
  /** Requests the page made to the HTTP API (/api/…). */
  apiRequests: string[];
  problems: string[];
}

describe('in the desktop app: window.gatehouse instead of HTTP', () => {
  let core: CoreUi;
  const stops: Array<() => void> = [];

  before(async () => {
    core = await startCoreUi({ policy: { approvals: { rules: [{ server: 'alpha', tool: 'search', approval: 'always' }] } } });
  });
  after(async () => {
    for (const stop of stops) stop();
    await core?.stop();
  });

  async function openWithBridge(answer: (name: string, request: unknown) => Promise<unknown>, view: string): Promise<BridgePage> {
    const context = await core.browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(10_000);
    await context.exposeBinding('__gatehouseCall', (_source, name: string, request: unknown) => answer(name, request));
    await context.addInitScript(BRIDGE);
    const page = await context.newPage();
    const apiRequests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => void (new URL(r.url()).pathname.startsWith('/api/') && apiRequests.push(r.url())));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
    page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
    // The host tells the page of changes, as main does with webContents.send.
    for (const topic of UI_TOPICS) {
      stops.push(core.service.subscribe(topic, () => void page.evaluate(`window.__gatehouseTopic(${JSON.stringify(topic)})`).catch(() => undefined)));
    }
    // The files come from the UI server here (app://gatehouse/ in the desktop app); nothing else does.
    await page.goto(`${core.server.link()}#/${view}`);
    return { page, context, apiRequests, problems };
  }

  test('the dashboard, a change announced by the host, and an approval all go through the bridge, and nothing is fetched', async () => {
    const ui = await openWithBridge((name, request) => core.service.handle(name, request), 'dashboard');
    const { page } = ui;
    await page.getByText('Connected to Gatehouse').waitFor();
    await page.getByTestId('server-alpha').waitFor();
    await page.getByRole('button', { name: 'Pause all tool calls' }).click();
    await page.getByTestId('paused-state').getByText(/^Paused/).waitFor();
    assert.equal(core.broker.broker.paused, true);
    await page.getByRole('button', { name: 'Resume tool calls' }).click();
    await page.getByTestId('paused-state').getByText(/^Running/).waitFor();

    const mcp = await core.broker.connect('/mcp', { name: 'desktop-test' });
    const allowed = mcp.callTool({ name: 'alpha__search', arguments: { query: 'from the tray' } });
    await page.getByRole('link', { name: /Something waits for your answer/ }).click();
    const dialog = page.getByRole('region', { name: 'Approve a tool call?' });
    await dialog.getByText('"query": "from the tray"').waitFor();
    await dialog.getByRole('button', { name: /^Allow once/ }).click();
    assert.deepEqual((await allowed).content, [{ type: 'text', text: '[A] results for "from the tray"' }]);
    await mcp.close();

    assert.deepEqual(ui.apiRequests, [], 'no HTTP API request with the bridge there');
    assert.deepEqual(ui.problems, []);
    await ui.context.close();
  });

  test('an answer from the bridge that does not fit the contract is refused, not shown', async () => {
    const ui = await openWithBridge(async (name, request) => {
      const result = await core.service.handle(name, request);
      // The dashboard comes back with a server whose health is not one the contract knows.
      if (name === 'dashboard.get' && result.ok) return { ok: true, value: { ...(result.value as object), servers: [{ id: 'alpha', url: 'x', health: 'on fire', tools: [] }] } };
      return result;
    }, 'dashboard');
    const { page } = ui;
    await page.getByRole('alert').getByText(/does not understand/).waitFor();
    assert.equal(await page.getByTestId('server-alpha').count(), 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desktop-refused-answer.png') });
    assert.deepEqual(ui.apiRequests, []);
    await ui.context.close();
  });
});
