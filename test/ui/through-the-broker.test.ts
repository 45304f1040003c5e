// The whole path: an agent's tool call through a real broker, a real upstream MCP server asking the
// user (elicitation answered by Gatehouse) or a policy asking for approval, the question shown in
// the browser UI (Debian Chromium), answered by keyboard, and what the upstream and agent then get.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startInteractive, type InteractiveServer } from '../fixtures/servers/interactive.js';
import { startTwin, type TwinServer } from '../fixtures/servers/twin.js';
import { startBroker, type Harness } from '../integration/helpers/broker-harness.js';
import { startUiHarness, type UiHarness, type UiPage } from './harness.js';

describe('prompts from a real broker, answered in the browser', () => {
  let interactive: InteractiveServer;
  let twin: TwinServer;
  let broker: Harness;
  let h: UiHarness;
  let ui: UiPage;

  before(async () => {
    [interactive, twin, h] = await Promise.all([startInteractive(), startTwin('A'), startUiHarness()]);
    broker = await startBroker(
      [
        { id: 'deploy', name: 'Deployments', url: interactive.url },
        { id: 'alpha', name: 'Catalogue', url: twin.url },
      ],
      { elicitation: { handler: 'gatehouse' }, approvals: { rules: [{ server: 'alpha', tool: 'search', approval: 'always' }] } },
      { prompter: h.prompter },
    );
    ui = await h.openPage();
  });
  after(async () => {
    await h?.stop();
    await broker?.stop();
    await Promise.all([interactive?.close(), twin?.close()]);
  });

  test('an elicitation form answered in the browser reaches the upstream with typed values', async () => {
    const client = await broker.connect('/mcp', { name: 'plain-ide' });
    const called = client.callTool({ name: 'deploy__ask_user', arguments: {} });
    const form = ui.page.getByRole('region', { name: 'Deployments asks for information' });
    await form.waitFor();
    assert.match((await form.textContent()) ?? '', /Which environment should the deployment target\?/);
    await form.getByRole('radio', { name: 'staging' }).focus(); // the default, already chosen
    await ui.page.keyboard.press('ArrowDown'); // production
    await form.getByLabel('Replicas').focus();
    await ui.page.keyboard.type('4');
    await form.getByRole('checkbox', { name: /Confirm/ }).focus();
    await ui.page.keyboard.press('Space');
    await ui.screenshot('through-broker-elicitation-light');
    await form.getByRole('button', { name: 'Accept' }).focus();
    await ui.page.keyboard.press('Enter');
    const result = await called;
    assert.deepEqual(result.content, [{ type: 'text', text: JSON.stringify({ action: 'accept', content: { environment: 'production', replicas: 4, confirm: true } }) }]);
    await client.close();
  });

  test('a tool call allowed in the browser is made; one denied reaches the agent as GATEHOUSE_APPROVAL_DENIED', async () => {
    const client = await broker.connect('/mcp', { name: 'cursor-test' });
    const allowed = client.callTool({ name: 'alpha__search', arguments: { query: 'invoices' } });
    const dialog = ui.page.getByRole('region', { name: 'Approve a tool call?' });
    await dialog.getByText('"query": "invoices"').waitFor();
    const allowOnce = dialog.getByRole('button', { name: /^Allow once/ });
    await allowOnce.click({ trial: true });
    await ui.page.keyboard.press('a');
    assert.deepEqual((await allowed).content, [{ type: 'text', text: '[A] results for "invoices"' }]);

    const denied = assert.rejects(client.callTool({ name: 'alpha__search', arguments: { query: 'secret plans' } }), /GATEHOUSE_APPROVAL_DENIED: The user denied the call of 'search'/);
    await dialog.getByText('"query": "secret plans"').waitFor();
    await ui.page.keyboard.press('d');
    await denied;
    await client.close();
  });

  test('the page ran under its CSP without errors', () => {
    assert.deepEqual(ui.problems, []);
  });
});
