// Form elicitation answered in the browser UI (Debian Chromium), by keyboard: every field type of
// the restricted schema, the UI's own validation messages, and the typed answer the caller receives.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { formPrompt, startUiHarness, urlPrompt, type UiHarness, type UiPage } from './harness.js';

const EVERY_FIELD = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Your name', minLength: 2, maxLength: 40 },
    email: { type: 'string', title: 'Email', format: 'email' },
    homepage: { type: 'string', title: 'Homepage', format: 'uri' },
    birthday: { type: 'string', title: 'Birthday', format: 'date' },
    meeting: { type: 'string', title: 'Meeting time', format: 'date-time' },
    ticket: { type: 'string', title: 'Ticket', description: 'Project key and number.', pattern: '^[A-Z]{2,5}-\\d+$' },
    count: { type: 'integer', title: 'Engineers to page', minimum: 1, maximum: 10, default: 3 },
    ratio: { type: 'number', title: 'Traffic share', minimum: 0, maximum: 1 },
    notify: { type: 'boolean', title: 'Notify stakeholders', default: true },
    confirm: { type: 'boolean', title: 'I am on call this week' },
    severity: { type: 'string', title: 'Severity', enum: ['low', 'high', 'critical'] },
    region: {
      type: 'string',
      title: 'Region',
      oneOf: [
        { const: 'eu-west', title: 'Europe (Ireland)' },
        { const: 'eu-central', title: 'Europe (Frankfurt)' },
        { const: 'us-east', title: 'US East (Virginia)' },
        { const: 'us-west', title: 'US West (Oregon)' },
        { const: 'ap-south', title: 'Asia Pacific (Mumbai)' },
      ],
      default: 'eu-west',
    },
    channels: { type: 'array', title: 'Channels', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['email', 'sms', 'slack'] } },
    teams: { type: 'array', title: 'Teams', items: { anyOf: [{ const: 'sre', title: 'Site reliability' }, { const: 'db', title: 'Databases' }] }, default: ['db'] },
  },
  required: ['name', 'email', 'ticket', 'count', 'confirm', 'severity', 'channels'],
};

/** Focuses a field and types into it, replacing what was there: the keyboard only. */
async function type(page: Page, field: Locator, text: string): Promise<void> {
  await field.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Backspace');
  if (text !== '') await page.keyboard.type(text);
}

describe('elicitation forms in the browser UI', () => {
  let h: UiHarness;
  let ui: UiPage;
  before(async () => {
    h = await startUiHarness();
    ui = await h.openPage();
  });
  after(() => h.stop());

  test('every field type filled in by keyboard, bad values refused with messages, the answer received typed', async () => {
    const { page } = ui;
    const answered = h.prompter.elicit!(formPrompt(EVERY_FIELD), new AbortController().signal);
    const form = page.getByRole('region', { name: 'Incidents asks for information' });
    await form.waitFor();
    assert.match((await form.textContent()) ?? '', /Tell us about the incident\./);

    // Defaults are filled in; required fields are marked for sight and for screen readers.
    // Labels read "Name * (required)" on screen; their accessible name is "Name (required)".
    const field = (label: string) => form.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?( \\(required\\))?$`));
    assert.equal(await field('Engineers to page').inputValue(), '3');
    assert.equal(await field('Notify stakeholders').isChecked(), true);
    assert.equal(await field('Region').inputValue(), 'eu-west');
    assert.equal(await form.getByRole('checkbox', { name: 'Databases' }).isChecked(), true);
    assert.equal(await field('Your name').getAttribute('required'), '');
    assert.equal(await form.locator(`label[for="${await field('Your name').getAttribute('id')}"]`).textContent(), 'Your name * (required)');
    assert.equal(await form.getByRole('radiogroup', { name: /Severity/ }).getAttribute('aria-required'), 'true');

    // Bad values first.
    await type(page, field('Your name'), 'A');
    await type(page, field('Email'), 'not-an-email');
    await type(page, field('Homepage'), 'example dot com');
    await type(page, field('Meeting time'), 'tomorrow');
    await type(page, field('Ticket'), 'ops 42');
    await type(page, field('Engineers to page'), '11');
    await type(page, field('Traffic share'), 'lots');
    await form.getByRole('button', { name: 'Accept' }).focus();
    await page.keyboard.press('Enter');

    await form.getByRole('alert').filter({ hasText: /fields need your attention/ }).waitFor();
    const errorOf = async (label: string) => {
      const input = field(label);
      assert.equal(await input.getAttribute('aria-invalid'), 'true', `${label} is marked invalid`);
      const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ');
      const errorId = ids.find((id) => id.endsWith('-error'));
      assert.ok(errorId, `${label} is described by its error`);
      return form.locator(`[id="${errorId}"]`).textContent();
    };
    assert.equal(await errorOf('Your name'), 'Use at least 2 characters.');
    assert.equal(await errorOf('Email'), 'Enter an email address, like name@example.com.');
    assert.equal(await errorOf('Homepage'), 'Enter a full URI with its scheme, like https://example.com/page.');
    assert.match((await errorOf('Meeting time')) ?? '', /^Enter a date and time as YYYY-MM-DDThh:mm:ssZ/);
    assert.equal(await errorOf('Ticket'), 'Does not match the expected pattern ^[A-Z]{2,5}-\\d+$.');
    assert.equal(await errorOf('Engineers to page'), 'Enter 10 or less.');
    assert.equal(await errorOf('Traffic share'), 'Enter a number.');
    assert.match((await form.getByRole('radiogroup', { name: /Severity/ }).textContent()) ?? '', /This field is required\./);
    assert.match((await form.getByRole('group', { name: /Channels/ }).textContent()) ?? '', /Choose at least 1\./);
    // The focus went to the first field in trouble.
    assert.equal(await page.locator(':focus').getAttribute('id'), await field('Your name').getAttribute('id'));
    await ui.screenshot('elicitation-errors-light');
    let settled = false;
    void answered.then(() => (settled = true));
    assert.equal(settled, false);

    // Then good ones, still by keyboard.
    await type(page, field('Your name'), 'Ada Lovelace');
    await type(page, field('Email'), 'ada@example.com');
    await type(page, field('Homepage'), 'https://example.com/ada');
    await field('Birthday').focus();
    await page.keyboard.type('12101815'); // en-US date input: month, day, year
    await type(page, field('Meeting time'), '2026-12-24T09:30:00Z');
    await type(page, field('Ticket'), 'OPS-42');
    await type(page, field('Engineers to page'), '7');
    await type(page, field('Traffic share'), '0.25');
    await field('Notify stakeholders').focus();
    await page.keyboard.press('Space'); // off
    await field('I am on call this week').focus();
    await page.keyboard.press('Space'); // on
    await form.getByRole('radio', { name: 'low' }).focus();
    await page.keyboard.press('ArrowDown'); // high
    await page.keyboard.press('ArrowDown'); // critical
    await field('Region').focus();
    await page.keyboard.press('ArrowDown'); // Europe (Frankfurt)
    await page.keyboard.press('ArrowDown'); // US East
    await form.getByRole('checkbox', { name: 'email' }).focus();
    await page.keyboard.press('Space');
    await form.getByRole('checkbox', { name: 'slack' }).focus();
    await page.keyboard.press('Space');
    await form.getByRole('checkbox', { name: 'Site reliability' }).focus();
    await page.keyboard.press('Space');
    await form.getByRole('checkbox', { name: 'Databases' }).focus();
    await page.keyboard.press('Space'); // default taken off
    assert.equal(await form.locator('[aria-invalid="true"]').count(), 0);
    await ui.screenshot('elicitation-filled-light');
    await field('Ticket').focus();
    await page.keyboard.press('Enter'); // submits the form

    const answer = await answered;
    assert.deepEqual(answer, {
      action: 'accept',
      content: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        homepage: 'https://example.com/ada',
        birthday: '1815-12-10',
        meeting: '2026-12-24T09:30:00Z',
        ticket: 'OPS-42',
        count: 7,
        ratio: 0.25,
        notify: false,
        confirm: true,
        severity: 'critical',
        region: 'us-east',
        channels: ['email', 'slack'],
        teams: ['sre'],
      },
    });
    assert.ok(answer.action === 'accept' && typeof answer.content?.['count'] === 'number' && typeof answer.content['notify'] === 'boolean');
    await form.waitFor({ state: 'detached' });
  });

  test('more choices than allowed are refused before sending', async () => {
    const answered = h.prompter.elicit!(formPrompt({ type: 'object', properties: EVERY_FIELD.properties, required: [] }, 'Pick channels.'), new AbortController().signal);
    const form = ui.page.getByRole('region', { name: 'Incidents asks for information' });
    await form.waitFor();
    for (const name of ['email', 'sms', 'slack']) {
      await form.getByRole('checkbox', { name }).focus();
      await ui.page.keyboard.press('Space');
    }
    await form.getByRole('button', { name: 'Accept' }).click();
    await form.getByText('Choose at most 2.').waitFor();
    await form.getByRole('button', { name: 'Decline' }).click();
    assert.deepEqual(await answered, { action: 'decline' });
  });

  test('Cancel dismisses the question without choosing', async () => {
    const answered = h.prompter.elicit!(formPrompt({ type: 'object', properties: { why: { type: 'string' } } }), new AbortController().signal);
    await ui.page.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(await answered, { action: 'cancel' });
  });

  test('a URL request shows the full host and opens the URL only after Open', async () => {
    const url = 'https://login.billing.example.com:8443/connect?account=42&state=xyz';
    const answered = h.prompter.elicit!(urlPrompt(url), new AbortController().signal);
    const consent = ui.page.getByRole('region', { name: 'Billing wants to open a web page' });
    await consent.waitFor();
    assert.equal(await consent.getByTestId('url-host').textContent(), 'login.billing.example.com:8443');
    assert.equal(await consent.getByTestId('url-full').textContent(), url);
    assert.match((await ui.page.locator(':focus').textContent()) ?? '', /^Decline/);
    const open = consent.getByRole('button', { name: 'Open login.billing.example.com:8443' });
    await open.click({ trial: true });
    await ui.screenshot('url-consent-light');
    assert.deepEqual(h.opened, []);
    await open.click();
    assert.deepEqual(await answered, { action: 'accept' });
    assert.deepEqual(h.opened.map(String), [url]);
  });

  test('a declined URL request opens nothing', async () => {
    const answered = h.prompter.elicit!(urlPrompt('https://phish.example.net/login'), new AbortController().signal);
    const consent = ui.page.getByRole('region', { name: 'Billing wants to open a web page' });
    await consent.getByTestId('url-host').filter({ hasText: 'phish.example.net' }).waitFor();
    await ui.page.keyboard.press('Enter'); // Decline has the focus
    assert.deepEqual(await answered, { action: 'decline' });
    assert.equal(h.opened.length, 1);
  });

  test('the page ran under its CSP without errors', () => {
    assert.deepEqual(ui.problems, []);
  });
});

describe('elicitation forms in the dark theme', () => {
  let h: UiHarness;
  before(async () => (h = await startUiHarness()));
  after(() => h.stop());

  test('the form and the URL consent render in dark', async () => {
    const ui = await h.openPage({ colorScheme: 'dark' });
    const controller = new AbortController();
    void h.prompter.elicit!(formPrompt(EVERY_FIELD), controller.signal);
    await ui.page.getByRole('region', { name: 'Incidents asks for information' }).waitFor();
    await ui.page.getByRole('button', { name: 'Accept' }).click();
    await ui.page.getByText('fields need your attention').waitFor();
    await ui.screenshot('elicitation-errors-dark');
    controller.abort();
    const url = h.prompter.elicit!(urlPrompt('http://127.0.0.1:9/dev-login'), controller.signal);
    assert.deepEqual(await url, { action: 'cancel' });
    const second = new AbortController();
    void h.prompter.elicit!(urlPrompt('http://127.0.0.1:9/dev-login'), second.signal);
    await ui.page.getByText('This page is not encrypted').waitFor();
    await ui.screenshot('url-consent-dark');
    second.abort();
    assert.deepEqual(ui.problems, []);
  });
});
