// Settings in Debian Chromium against the real core: connecting IDEs (the config file written into a
// temporary home, and for any other client the snippet to paste, token included), the IDEs then
// listed on the dashboard, the sign-in panel, and the theme chosen there.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { startCoreUi, type CoreUi } from './core-harness.js';
import type { UiPage } from './harness.js';

describe('settings against the real core', () => {
  let core: CoreUi;
  let ui: UiPage;

  before(async () => {
    core = await startCoreUi({ identity: true });
    ui = await core.openPage({ view: 'settings' });
  });
  after(() => core?.stop());

  test('Connect Cursor registers it and writes its MCP settings, and says which file', async () => {
    const { page } = ui;
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('button', { name: 'Connect Cursor' }).click();
    const result = page.getByTestId('connect-result');
    await result.getByText(/^Connected Cursor as client 'cursor'\. Restart Cursor/).waitFor();
    const files = await result.getByRole('listitem').allTextContents();
    assert.ok(files.length >= 1);
    assert.ok(files.every((file) => file.startsWith(core.home)), `written under the home: ${files.join(', ')}`);
    const config = await readFile(files.find((f) => f.endsWith('mcp.json'))!, 'utf8');
    assert.ok(config.includes(core.broker.url), 'the IDE points at this broker');
  });

  test('another MCP client gets the URL and header to paste, written nowhere', async () => {
    const { page } = ui;
    const button = page.getByRole('button', { name: 'Connect another MCP client' });
    await button.focus();
    await page.keyboard.press('Enter');
    const result = page.getByTestId('connect-result');
    const snippet = result.getByLabel('Settings to paste');
    await snippet.waitFor();
    const text = (await snippet.textContent()) ?? '';
    assert.ok(text.includes(core.broker.url));
    assert.match(text, /Bearer gh_/);
    assert.equal(await result.getByRole('listitem').count(), 0, 'no file written');
    assert.match((await result.textContent()) ?? '', /shown only now/);
    await ui.screenshot('settings');
  });

  test('the connected IDEs are listed on the dashboard', async () => {
    const { page } = ui;
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const clients = page.getByTestId('clients');
    await clients.getByText('cursor', { exact: true }).waitFor();
    assert.equal(await clients.getByRole('listitem').count(), 2);
    await page.getByRole('link', { name: 'Settings' }).click();
  });

  test('the sign-in panel is here too', async () => {
    const identity = ui.page.getByTestId('identity');
    await identity.getByText('Signed in as Dana Developer').waitFor();
    await identity.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  test('the theme chosen here applies at once; "Follow the system" goes back to it', async () => {
    const { page } = ui;
    await page.getByLabel('Theme').selectOption('dark');
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    assert.equal(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed'), 'true');
    await page.getByLabel('Theme').selectOption('system');
    await page.locator('html[data-theme="light"]').waitFor({ state: 'attached' });
    assert.equal(await page.evaluate("localStorage.getItem('gatehouse.theme')"), null, 'the choice is forgotten');
  });

  test('the page ran under its CSP without errors', () => {
    assert.deepEqual(ui.problems, []);
  });
});
