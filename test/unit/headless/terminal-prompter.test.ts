import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import type { ApprovalRequest } from '../../../main/core/ports/prompter.js';
import { TerminalPrompter } from '../../../main/headless/terminal-prompter.js';

const request = (over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  id: '1',
  client: { name: 'cursor', title: 'Cursor' },
  user: 'dev',
  server: { id: 'incidents', name: 'Incidents' },
  tool: { name: 'page_oncall', description: 'Pages the on-call engineer' },
  arguments: { reason: 'db down', token: 'ghp_…89' },
  reasons: ["'page_oncall' may change things."],
  expiresAt: Date.now() + 60_000,
  ...over,
});

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  const prompter = new TerminalPrompter(input, output);
  /** Resolves once the n-th prompt is on screen: keys typed before a prompt shows are not its answer. */
  const prompted = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if ((shown.match(/\[a\] allow once/g)?.length ?? 0) >= n) {
          output.off('data', check);
          resolve();
        }
      };
      output.on('data', check);
      check();
    });
  return { input, prompter, shown: () => shown, prompted };
}

describe('the terminal prompter', () => {
  test('shows who, what, why and the arguments, and reads the answer', async () => {
    const t = terminal();
    const answer = t.prompter.approve(request(), new AbortController().signal);
    await t.prompted(1);
    t.input.write('s\n');
    assert.equal(await answer, 'allow-session');
    assert.match(t.shown(), /Who: {3}Cursor \(client 'cursor'\) for dev/);
    assert.match(t.shown(), /What: {2}page_oncall on server Incidents \('incidents'\)/);
    assert.match(t.shown(), /Why: {3}'page_oncall' may change things\./);
    assert.match(t.shown(), /"reason": "db down"/);
    t.prompter.close();
  });

  test('asks again after an answer it does not know, and asks one question at a time', async () => {
    const t = terminal();
    const first = t.prompter.approve(request({ id: 'a' }), new AbortController().signal);
    const second = t.prompter.approve(request({ id: 'b', tool: { name: 'delete_everything' } }), new AbortController().signal);
    await t.prompted(1);
    assert.doesNotMatch(t.shown(), /delete_everything/, 'the second prompt waits for the first');
    t.input.write('yes\nd\n');
    assert.equal(await first, 'deny');
    assert.match(t.shown(), /Type a \(allow once\), s \(allow for this session\) or d \(deny\)/);
    await t.prompted(2);
    t.input.write('a\n');
    assert.equal(await second, 'allow-once');
    assert.match(t.shown(), /delete_everything/);
    t.prompter.close();
  });

  test('a withdrawn prompt (call cancelled, time out) counts as deny and says so', async () => {
    const t = terminal();
    const controller = new AbortController();
    const answer = t.prompter.approve(request(), controller.signal);
    await t.prompted(1);
    controller.abort();
    assert.equal(await answer, 'deny');
    assert.match(t.shown(), /withdrawn/);
    t.prompter.close();
  });
});
