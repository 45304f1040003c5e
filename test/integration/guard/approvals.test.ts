import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApprovalAnswer, ApprovalRequest, Prompter } from '../../../main/core/ports/prompter.js';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { startBroker, type Harness } from '../helpers/broker-harness.js';

/** Answers approval prompts as the test says, and records what the user was shown. */
class ScriptedPrompter implements Prompter {
  readonly asked: ApprovalRequest[] = [];
  answer: ApprovalAnswer | 'never' = 'allow-once';
  onAsk: () => void = () => {};
  approve(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    this.asked.push(request);
    this.onAsk();
    if (this.answer !== 'never') return Promise.resolve(this.answer);
    return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('withdrawn')), { once: true }));
  }
}

describe('approvals through the broker', () => {
  let a: TwinServer;
  let b: TwinServer;
  let h: Harness;
  const prompter = new ScriptedPrompter();
  const clock = new ManualClock();

  before(async () => {
    [a, b] = await Promise.all([startTwin('A'), startTwin('B')]);
    h = await startBroker(
      [
        { id: 'alpha', url: a.url },
        { id: 'beta', url: b.url, trustAnnotations: true },
      ],
      {
        approvals: {
          timeoutSeconds: 30,
          rules: [
            { server: 'alpha', tool: 'search', approval: 'always' },
            { approval: 'destructive' },
          ],
        },
      },
      { prompter, clock },
    );
  });
  afterEach(() => {
    prompter.asked.length = 0;
    prompter.answer = 'allow-once';
    prompter.onAsk = () => {};
  });
  after(async () => {
    await h?.stop();
    await Promise.all([a?.close(), b?.close()]);
  });

  test('asks with who, what and the arguments, and makes the call once allowed', async () => {
    const client = await h.connect('/mcp', { name: 'cursor-test' });
    const result = await client.callTool({ name: 'alpha__search', arguments: { query: 'invoices' } });
    assert.deepEqual(result.content, [{ type: 'text', text: '[A] results for "invoices"' }]);
    assert.equal(prompter.asked.length, 1);
    const [shown] = prompter.asked;
    assert.equal(shown?.client.name, 'test');
    assert.equal(shown?.client.title, 'cursor-test');
    assert.deepEqual(shown?.server, { id: 'alpha', name: undefined });
    assert.equal(shown?.tool.name, 'search');
    assert.equal(shown?.tool.description, 'Search the catalogue');
    assert.deepEqual(shown?.arguments, { query: 'invoices' });
    assert.match(shown?.reasons.join(' ') ?? '', /Policy asks you to approve every call of 'search'/);
  });

  test('a denial reaches the agent as GATEHOUSE_APPROVAL_DENIED and the server never sees the call', async () => {
    prompter.answer = 'deny';
    const client = await h.connect();
    await assert.rejects(client.callTool({ name: 'alpha__search', arguments: { query: 'secret plans' } }), /GATEHOUSE_APPROVAL_DENIED: The user denied the call of 'search'/);
  });

  test('"allow for this session" is remembered for that session only', async () => {
    prompter.answer = 'allow-session';
    const first = await h.connect();
    await first.callTool({ name: 'alpha__search', arguments: { query: 'a' } });
    await first.callTool({ name: 'alpha__search', arguments: { query: 'b' } });
    assert.equal(prompter.asked.length, 1, 'asked once in the first session');
    const second = await h.connect();
    await second.callTool({ name: 'alpha__search', arguments: { query: 'c' } });
    assert.equal(prompter.asked.length, 2, 'a new session asks again');
  });

  test('no answer before the timeout is a denial', async () => {
    prompter.answer = 'never';
    prompter.onAsk = () => queueMicrotask(() => clock.advance(30_000));
    const client = await h.connect();
    await assert.rejects(client.callTool({ name: 'alpha__search', arguments: { query: 'x' } }), /GATEHOUSE_APPROVAL_DENIED: Nobody approved the call of 'search' on server 'alpha' within 30 s/);
  });

  test('destructive: annotations count only for a server policy trusts', async () => {
    const client = await h.connect();
    // alpha is not trusted: its readOnlyHint is not taken at its word.
    await client.callTool({ name: 'alpha__get_item', arguments: { id: '1' } });
    assert.equal(prompter.asked.length, 1);
    assert.match(prompter.asked[0]?.reasons[0] ?? '', /policy does not take server 'alpha' at its word/);
    // beta is trusted, and get_item says it only reads: no prompt.
    await client.callTool({ name: 'beta__get_item', arguments: { id: '1' } });
    assert.equal(prompter.asked.length, 1);
  });
});
