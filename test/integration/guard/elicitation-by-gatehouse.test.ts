// With `elicitation.handler: "gatehouse"`, a server's question is shown by Gatehouse itself (the
// user's trusted UI), even to an IDE that never declared elicitation, and the answer the server gets
// is the one the user gave, validated against the form.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ElicitationAnswer, ElicitationPrompt, Prompter } from '../../../main/core/ports/prompter.js';
import { ASK_USER_MESSAGE, ASK_USER_SCHEMA, startInteractive, type InteractiveServer } from '../../fixtures/servers/interactive.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';

/** What the fixture server received, as it reports it (the SDK fills absent content with null). */
function received(result: { content?: unknown }): unknown {
  const [first] = result.content as Array<{ text: string }>;
  return JSON.parse(first!.text);
}

class FormFiller implements Prompter {
  readonly shown: ElicitationPrompt[] = [];
  answer: ElicitationAnswer = { action: 'accept', content: { environment: 'production', replicas: 3, confirm: true } };
  approve() {
    return Promise.resolve('deny' as const);
  }
  elicit(prompt: ElicitationPrompt): Promise<ElicitationAnswer> {
    this.shown.push(prompt);
    return Promise.resolve(this.answer);
  }
}

describe('elicitation shown by Gatehouse', () => {
  let server: InteractiveServer;
  let h: Harness;
  const prompter = new FormFiller();

  before(async () => {
    server = await startInteractive();
    h = await startBroker([{ id: 'deploy', name: 'Deployments', url: server.url }], { elicitation: { handler: 'gatehouse' } }, { prompter });
  });
  afterEach(() => {
    prompter.shown.length = 0;
  });
  after(async () => {
    await h?.stop();
    await server?.close();
  });

  test('an IDE without the capability still gets the answer the user gave in Gatehouse, with typed values', async () => {
    const client = await h.connect('/mcp', { name: 'plain-ide' });
    const result = await client.callTool({ name: 'deploy__ask_user', arguments: {} });
    assert.equal(prompter.shown.length, 1);
    const [prompt] = prompter.shown;
    assert.equal(prompt?.mode, 'form');
    assert.equal(prompt?.message, ASK_USER_MESSAGE);
    assert.deepEqual(prompt?.mode === 'form' && prompt.requestedSchema, ASK_USER_SCHEMA);
    assert.deepEqual(prompt?.server, { id: 'deploy', name: 'Deployments' });
    assert.equal(prompt?.client.title, 'plain-ide');
    assert.deepEqual(result.content, [{ type: 'text', text: JSON.stringify({ action: 'accept', content: { environment: 'production', replicas: 3, confirm: true } }) }]);
  });

  test('an answer that does not fit the form is not sent upstream half-right: the server gets cancel', async () => {
    prompter.answer = { action: 'accept', content: { environment: 'moon', replicas: 99, confirm: true } };
    const client = await h.connect();
    const result = await client.callTool({ name: 'deploy__ask_user', arguments: {} });
    assert.deepEqual(received(result), { action: 'cancel', content: null });
  });

  test('declining is passed on as declining', async () => {
    prompter.answer = { action: 'decline' };
    const client = await h.connect();
    const result = await client.callTool({ name: 'deploy__ask_user', arguments: {} });
    assert.deepEqual(received(result), { action: 'decline', content: null });
  });
});
