// Approvals answered in the browser UI (Debian Chromium): what the user sees, and that each button
// and key gives the caller of approve() the answer the user chose.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { approvalRequest, startUiHarness, type UiHarness, type UiPage } from './harness.js';

describe('approvals in the browser UI', () => {
  let h: UiHarness;
  let ui: UiPage;
  before(async () => {
    h = await startUiHarness();
    ui = await h.openPage();
  });
  after(() => h.stop());

  test('shows who asks, what would run, why, and the masked arguments, with Deny focused', async () => {
    const { page } = ui;
    assert.equal(page.url(), `${h.server.origin}/#/prompts`, 'the one-time token is gone from the address bar');
    await page.getByRole('heading', { name: 'Nothing is waiting for you' }).waitFor();
    await ui.screenshot('empty-light');
    const answered = h.prompter.approve(approvalRequest(), new AbortController().signal);
    const dialog = page.getByRole('region', { name: 'Approve a tool call?' });
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /Cursor \(client “cursor”\) for dana@example\.com/);
    assert.match(text, /Run Page on-call \(“page_oncall”\) on server Incidents \(“incidents”\)/);
    assert.match(text, /Pages the on-call engineer for a service\./);
    assert.match(text, /may change things/);
    assert.match(text, /Answer within \d:\d\d, or it is denied\./);
    const args = await dialog.getByLabel('Arguments').textContent();
    assert.equal(args, JSON.stringify({ service: 'payments', reason: 'db down', token: 'ghp_…89' }, null, 2));
    assert.match((await page.locator(':focus').textContent()) ?? '', /^Deny/);
    const allowOnce = dialog.getByRole('button', { name: /^Allow once/ });
    await allowOnce.click({ trial: true }); // enabled after the arming delay
    await ui.screenshot('approval-light');
    await allowOnce.click();
    assert.equal(await answered, 'allow-once');
    await page.getByRole('heading', { name: 'Nothing is waiting for you' }).waitFor();
  });

  test('Enter on the focused Deny button denies', async () => {
    const answered = h.prompter.approve(approvalRequest(), new AbortController().signal);
    await ui.page.getByRole('button', { name: /^Deny/ }).waitFor();
    assert.match((await ui.page.locator(':focus').textContent()) ?? '', /^Deny/);
    await ui.page.keyboard.press('Enter');
    assert.equal(await answered, 'deny');
  });

  test('the D key denies', async () => {
    const answered = h.prompter.approve(approvalRequest({ tool: { name: 'drop_table' } }), new AbortController().signal);
    await ui.page.getByRole('region', { name: 'Approve a tool call?' }).getByText('drop_table').waitFor();
    await ui.page.keyboard.press('d');
    assert.equal(await answered, 'deny');
  });

  test('the S key, once the allow buttons are enabled, allows for this session', async () => {
    const answered = h.prompter.approve(approvalRequest(), new AbortController().signal);
    const session = ui.page.getByRole('button', { name: /^Allow for this session/ });
    await session.waitFor();
    assert.equal(await session.getAttribute('aria-keyshortcuts'), 'S');
    await session.click({ trial: true }); // waits until it is enabled, without clicking
    await ui.page.keyboard.press('s');
    assert.equal(await answered, 'allow-session');
  });

  test('a prompt withdrawn by its caller leaves the page and counts as denied', async () => {
    const controller = new AbortController();
    const answered = h.prompter.approve(approvalRequest({ tool: { name: 'restart_service' } }), controller.signal);
    const dialog = ui.page.getByRole('region', { name: 'Approve a tool call?' });
    await dialog.getByText('restart_service').waitFor();
    controller.abort();
    assert.equal(await answered, 'deny');
    await dialog.waitFor({ state: 'detached' });
    assert.match((await ui.page.getByTestId('announcer').textContent()) ?? '', /Withdrawn: Approve restart_service on Incidents/);
  });

  test('newest first: a second prompt waits in the list without taking the focus, then comes up when the first is answered', async () => {
    const first = h.prompter.approve(approvalRequest({ tool: { name: 'first_tool' } }), new AbortController().signal);
    const dialog = ui.page.getByRole('region', { name: 'Approve a tool call?' });
    await dialog.getByText('first_tool').waitFor();
    const second = h.prompter.approve(approvalRequest({ tool: { name: 'second_tool' } }), new AbortController().signal);
    const queue = ui.page.getByRole('navigation', { name: /Waiting for you \(2\)/ });
    await queue.waitFor();
    assert.deepEqual(await queue.getByRole('button').allTextContents(), ['Approve second_tool on Incidents', 'Approve first_tool on Incidents']);
    assert.equal(await ui.page.title(), '(2) Gatehouse prompts');
    assert.match((await dialog.textContent()) ?? '', /first_tool/);
    assert.match((await ui.page.locator(':focus').textContent()) ?? '', /^Deny/);
    await ui.screenshot('approval-queue-light');
    await ui.page.keyboard.press('d');
    assert.equal(await first, 'deny');
    await dialog.getByText('second_tool').waitFor();
    await dialog.getByRole('button', { name: /^Allow once/ }).click();
    assert.equal(await second, 'allow-once');
  });

  test('a sign-in request and a notice are shown until dismissed; Sign in starts the sign-in', async () => {
    h.prompter.requestSignIn('nobody is signed in');
    const signIn = ui.page.getByRole('region', { name: 'Sign-in needed' });
    await signIn.waitFor();
    assert.match((await signIn.textContent()) ?? '', /nobody is signed in/);
    assert.match((await ui.page.locator(':focus').textContent()) ?? '', /^Sign in$/);
    await ui.screenshot('sign-in-light');
    await ui.page.keyboard.press('Enter');
    await signIn.waitFor({ state: 'detached' });
    assert.equal(h.signIns(), 1);
    h.prompter.notify({ level: 'warning', title: 'Tool quarantined', message: "search on server 'docs' changed its description; ask IT to review it." });
    const notice = ui.page.getByRole('region', { name: 'Tool quarantined' });
    await notice.waitFor();
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await ui.page.getByRole('heading', { name: 'Nothing is waiting for you' }).waitFor();
  });

  test('the page ran under its CSP without errors', () => {
    assert.deepEqual(ui.problems, []);
  });
});

describe('approvals in the dark theme', () => {
  let h: UiHarness;
  before(async () => (h = await startUiHarness()));
  after(() => h.stop());

  test('follows the system colour scheme', async () => {
    const ui = await h.openPage({ colorScheme: 'dark' });
    const answered = h.prompter.approve(approvalRequest(), new AbortController().signal);
    const dialog = ui.page.getByRole('region', { name: 'Approve a tool call?' });
    await dialog.waitFor();
    const background = await ui.page.locator('body').evaluate((body) => body.ownerDocument.defaultView?.getComputedStyle(body).backgroundColor);
    assert.equal(background, 'rgb(15, 18, 23)');
    await ui.screenshot('approval-dark');
    await ui.page.keyboard.press('Escape');
    assert.equal(await answered, 'deny');
    assert.deepEqual(ui.problems, []);
  });
});
