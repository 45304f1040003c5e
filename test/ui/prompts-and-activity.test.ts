// Prompts answered in Debian Chromium against the real core, then found in the activity view: a real
// MCP client's tool call waits for the user's approval (allowed once, denied once, and allowed by
// keyboard alone from the dashboard), a real upstream server's form question is filled in and its
// answer reaches the server; then the activity view lists those calls, filters them, shows one in
// detail with each guard step (and a DLP redaction with its detector, the card number masked), and
// verifies the audit chain.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { startCoreUi, type CoreUi } from './core-harness.js';
import { focused, tabUntil } from './focus.js';
import type { UiPage } from './harness.js';

const CARD = '4539 1488 0343 6467';

describe('prompts and activity against the real core', () => {
  let core: CoreUi;
  let ui: UiPage;
  let mcp: Client;

  before(async () => {
    core = await startCoreUi({
      interactive: true,
      policy: {
        elicitation: { handler: 'gatehouse' },
        approvals: { rules: [{ server: 'alpha', tool: 'search', approval: 'always' }] },
        dlp: { detectors: { 'payment-card': { action: 'redact' } } },
      },
    });
    mcp = await core.broker.connect('/mcp', { name: 'cursor-test' });
    ui = await core.openPage({ view: 'prompts' });
  });
  after(async () => {
    await mcp?.close();
    await core?.stop();
  });

  test('a tool call allowed in the page is made; one denied reaches the agent as GATEHOUSE_APPROVAL_DENIED', async () => {
    const { page } = ui;
    const allowed = mcp.callTool({ name: 'alpha__search', arguments: { query: 'invoices' } });
    const dialog = page.getByRole('region', { name: 'Approve a tool call?' });
    await dialog.getByText('"query": "invoices"').waitFor();
    assert.match((await page.getByTestId('announcer').textContent()) ?? '', /New: Approve search on Alpha catalogue\./);
    assert.match((await dialog.textContent()) ?? '', /Run “search” on server Alpha catalogue \(“alpha”\)/);
    const allowOnce = dialog.getByRole('button', { name: /^Allow once/ });
    await allowOnce.click({ trial: true }); // enabled after the arming delay
    await ui.screenshot('prompts-approval');
    await allowOnce.click();
    assert.deepEqual((await allowed).content, [{ type: 'text', text: '[A] results for "invoices"' }]);

    const denied = assert.rejects(mcp.callTool({ name: 'alpha__search', arguments: { query: 'secret plans' } }), /GATEHOUSE_APPROVAL_DENIED/);
    await dialog.getByText('"query": "secret plans"').waitFor();
    await dialog.getByRole('button', { name: /^Deny/ }).click();
    await denied;
    await page.getByRole('heading', { name: 'Nothing is waiting for you' }).waitFor();
  });

  test('an elicitation form filled in the page reaches the upstream server with typed values', async () => {
    const { page } = ui;
    const called = mcp.callTool({ name: 'deploy__ask_user', arguments: {} });
    const form = page.getByRole('region', { name: 'Deployments asks for information' });
    await form.waitFor();
    assert.match((await form.textContent()) ?? '', /Which environment should the deployment target\?/);
    assert.equal(await form.getByRole('radio', { name: 'staging' }).isChecked(), true, 'the default is chosen');
    await form.getByRole('radio', { name: 'production' }).check();
    await form.getByLabel('Replicas').fill('3');
    await form.getByRole('checkbox', { name: /Confirm/ }).check();
    await ui.screenshot('elicitation-form');
    await form.getByRole('button', { name: 'Accept' }).click();
    const result = await called;
    assert.deepEqual(result.content, [{ type: 'text', text: JSON.stringify({ action: 'accept', content: { environment: 'production', replicas: 3, confirm: true } }) }]);
  });

  test('keyboard only: from the dashboard to the prompt, and Allow once, with the focus always visible', async () => {
    const { page } = ui;
    await page.getByRole('link', { name: 'Dashboard' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    assert.deepEqual([(await focused(page)).tag, (await focused(page)).text], ['H1', 'Dashboard'], 'the view heading takes the focus');

    const allowed = mcp.callTool({ name: 'alpha__search', arguments: { query: 'by keyboard' } });
    const banner = page.getByRole('link', { name: /Something waits for your answer/ });
    await banner.waitFor();
    const link = await tabUntil(page, (f) => f.text.startsWith('Something waits for your answer'));
    assert.equal(link.outline, 'solid', 'the focused link shows a focus ring');
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('region', { name: 'Approve a tool call?' });
    await dialog.getByText('"query": "by keyboard"').waitFor();
    assert.match((await focused(page)).text, /^Deny/, 'Deny has the focus');
    await dialog.getByRole('button', { name: /^Allow once/ }).click({ trial: true }); // waits for the arming delay
    await page.keyboard.press('Tab');
    const allow = await focused(page);
    assert.match(allow.text, /^Allow once/);
    assert.equal(allow.outline, 'solid', 'the focused button shows a focus ring');
    await page.keyboard.press('Enter');
    assert.deepEqual((await allowed).content, [{ type: 'text', text: '[A] results for "by keyboard"' }]);
  });

  test('the activity view lists those calls, filters them, shows one in detail, and verifies the chain', async () => {
    const { page } = ui;
    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    const table = page.locator('table.activity');
    await table.getByRole('row', { name: /deploy \/ ask_user/ }).waitFor();
    assert.equal(await table.getByRole('row', { name: /alpha \/ search/ }).count(), 3);
    assert.equal(await table.getByRole('row', { name: /denied.*alpha \/ search/ }).count(), 1);
    await ui.screenshot('activity');

    // Only what was denied.
    await page.getByLabel('Decision').selectOption('denied');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('activity-count').getByText('Showing the only event that matches.').waitFor();
    const row = table.getByRole('row', { name: /alpha \/ search/ });
    assert.match((await row.textContent()) ?? '', /denied.*refused.*GATEHOUSE_APPROVAL_DENIED/);

    // Its detail: arguments as recorded and the approval step's decision.
    await row.getByRole('link').click();
    const detail = page.getByTestId('event-detail');
    await detail.waitFor();
    assert.match(page.url(), /#\/activity\/\d+$/);
    assert.equal((await focused(page)).tag, 'H2', 'the detail takes the focus');
    assert.match((await detail.getByRole('heading', { level: 2 }).textContent()) ?? '', /^Event \d+: tool\.call$/);
    const seq = Number(/#\/activity\/(\d+)$/.exec(page.url())![1]);
    const stored = core.log.current!.page({ before: seq + 1, limit: 1 }).events[0]!;
    assert.equal(stored.code, 'GATEHOUSE_APPROVAL_DENIED');
    assert.equal(await detail.getByLabel('Arguments as recorded').textContent(), JSON.stringify(stored.arguments, null, 2));
    const steps = detail.getByRole('table');
    assert.match((await steps.getByRole('row', { name: /^approval/ }).textContent()) ?? '', /approval.*(rejected|deny|denied)/);
    assert.match((await detail.textContent()) ?? '', /Arguments SHA-256[0-9a-f]{64}/);
    assert.match((await detail.textContent()) ?? '', /Previous hash[0-9a-f]{64}Hash[0-9a-f]{64}/);
    await ui.screenshot('activity-detail');

    // Escape goes back to the list, to the row it came from.
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    assert.match(page.url(), /#\/activity$/);
    assert.match((await focused(page)).label ?? '', /^Event \d+, details$/);

    // The chain is intact.
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    const status = page.getByTestId('chain-status');
    await status.getByText(/^Intact: \d+ events checked/).waitFor();
    assert.match((await status.textContent()) ?? '', /from the first event/);
  });

  test('a call DLP redacted shows its detector and the masked arguments, never the raw value', async () => {
    const { page } = ui;
    await mcp.callTool({ name: 'alpha__get_item', arguments: { id: `refund ${CARD}` } });
    await page.getByLabel('Decision').selectOption('redacted');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('activity-count').getByText('Showing the only event that matches.').waitFor();
    await page.locator('table.activity').getByRole('link').click();
    const detail = page.getByTestId('event-detail');
    const dlp = detail.getByRole('table').getByRole('row', { name: /^dlp/ });
    assert.match((await dlp.textContent()) ?? '', /redact.*payment-card/);
    const args = (await detail.getByLabel('Arguments as recorded').textContent()) ?? '';
    assert.match(args, /"id": "refund /);
    assert.ok(!args.includes(CARD) && !(await page.content()).includes(CARD), 'the card number is nowhere in the page');
    await detail.getByRole('button', { name: 'Close' }).click();
    await page.getByLabel('Decision').selectOption('');
  });

  test('a new call appears in the open activity view by itself', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Clear' }).click();
    const table = page.locator('table.activity');
    await table.getByRole('row', { name: /deploy \/ ask_user/ }).waitFor();
    const before = await table.locator('tbody tr').count();
    await mcp.callTool({ name: 'alpha__get_item', arguments: { id: 'live-1' } });
    // The call joins the chain within a second of its answer; the view hears of it and shows one row more.
    await table.locator('tbody tr').nth(before).waitFor();
    assert.match((await table.locator('tbody tr').first().textContent()) ?? '', /allowed.*alpha \/ get_item/);
  });

  test('the page ran under its CSP without errors', () => {
    assert.deepEqual(ui.problems, []);
  });
});
