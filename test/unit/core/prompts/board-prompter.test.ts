import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApprovalRequest, ElicitationPrompt } from '../../../../main/core/ports/prompter.js';
import { BoardPrompter, urlProblem } from '../../../../main/core/prompts/board-prompter.js';
import { guardedPatternMatcher } from '../../../../main/core/elicitation/pattern-guard.js';
import { ManualClock } from '../../../helpers/manual-clock.js';

const clock = () => new ManualClock(1_800_000_000_000);
const never = () => new AbortController().signal;

const request = (c: ManualClock, over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  id: 'r1',
  client: { name: 'cursor' },
  user: 'dev',
  server: { id: 'incidents' },
  tool: { name: 'page_oncall' },
  arguments: {},
  reasons: ['policy'],
  expiresAt: c.now() + 60_000,
  ...over,
});

const form = (c: ManualClock, requestedSchema: Record<string, unknown>): ElicitationPrompt => ({
  id: 'e1',
  client: { name: 'cursor' },
  server: { id: 'incidents' },
  message: 'Which one?',
  expiresAt: c.now() + 60_000,
  mode: 'form',
  requestedSchema,
});

const url = (c: ManualClock, href: string): ElicitationPrompt => ({ id: 'u1', client: { name: 'cursor' }, server: { id: 'billing' }, message: 'Connect', expiresAt: c.now() + 60_000, mode: 'url', url: href });

const onlyPrompt = (p: BoardPrompter) => {
  const prompts = p.snapshot().prompts;
  assert.equal(prompts.length, 1);
  return prompts[0]!;
};

describe('the browser prompter', () => {
  test('an approval waits on the board until answered, then is gone (410 for a late answer)', async () => {
    const c = clock();
    const p = new BoardPrompter({ clock: c });
    let changes = 0;
    p.subscribe(() => changes++);
    const answered = p.approve(request(c), never());
    const shown = onlyPrompt(p);
    assert.equal(shown.kind, 'approval');
    assert.equal(changes, 1);
    assert.deepEqual(await p.answer(shown.id, { kind: 'elicitation', answer: { action: 'decline' } }), { ok: false, code: 'wrong-kind', message: 'That answer does not fit this kind of prompt.' });
    assert.deepEqual(await p.answer(shown.id, { kind: 'approval', answer: 'allow-session' }), { ok: true });
    assert.equal(await answered, 'allow-session');
    assert.deepEqual(p.snapshot().prompts, []);
    assert.equal(changes, 2);
    const late = await p.answer(shown.id, { kind: 'approval', answer: 'allow-once' });
    assert.ok(!late.ok && late.code === 'gone');
    const unknown = await p.answer('nope', { kind: 'approval', answer: 'allow-once' });
    assert.ok(!unknown.ok && unknown.code === 'unknown');
  });

  test('lists prompts newest first', () => {
    const c = clock();
    const p = new BoardPrompter({ clock: c });
    void p.approve(request(c, { tool: { name: 'first' } }), never());
    c.advance(1_000);
    void p.approve(request(c, { tool: { name: 'second' } }), never());
    assert.deepEqual(
      p.snapshot().prompts.map((x) => (x.kind === 'approval' ? x.request.tool.name : '')),
      ['second', 'first'],
    );
    p.close();
  });

  test('a withdrawn call takes its prompt down and counts as denied', async () => {
    const c = clock();
    const p = new BoardPrompter({ clock: c });
    const controller = new AbortController();
    const answered = p.approve(request(c), controller.signal);
    controller.abort();
    assert.equal(await answered, 'deny');
    assert.deepEqual(p.snapshot().prompts, []);
    assert.equal(await p.approve(request(c), controller.signal), 'deny', 'an already aborted call is not even shown');
  });

  test('an approval nobody answers in time is denied and taken down', async () => {
    const c = clock();
    const p = new BoardPrompter({ clock: c });
    const answered = p.approve(request(c), never());
    c.advance(59_999);
    assert.equal(p.snapshot().prompts.length, 1);
    c.advance(1);
    assert.equal(await answered, 'deny');
    assert.deepEqual(p.snapshot().prompts, []);
  });

  test('close() denies what is pending and everything after', async () => {
    const c = clock();
    const p = new BoardPrompter({ clock: c });
    const pending = p.approve(request(c), never());
    const question = p.elicit(form(c, { type: 'object', properties: {} }), never());
    p.close();
    assert.equal(await pending, 'deny');
    assert.deepEqual(await question, { action: 'cancel' });
    assert.equal(await p.approve(request(c), never()), 'deny');
  });

  test('a form answer is checked against the form here too: refused with errors and kept waiting, then accepted typed', async () => {
    const c = clock();
    const p = new BoardPrompter({ clock: c });
    const answered = p.elicit(form(c, { type: 'object', properties: { n: { type: 'integer', maximum: 5 }, tag: { type: 'string', pattern: '^[a-z]+$' } }, required: ['n'] }), never());
    const { id } = onlyPrompt(p);
    const refused = await p.answer(id, { kind: 'elicitation', answer: { action: 'accept', content: { n: 9, tag: 'A!', extra: true } } });
    assert.deepEqual(refused, {
      ok: false,
      code: 'invalid',
      message: 'Some answers do not fit the form; correct them and send again.',
      errors: { n: 'Enter 5 or less.', tag: 'Does not match the expected pattern ^[a-z]+$.', extra: 'The form has no such field.' },
    });
    assert.equal(p.snapshot().prompts.length, 1);
    assert.deepEqual(await p.answer(id, { kind: 'elicitation', answer: { action: 'accept', content: { n: 4, tag: 'ok' } } }), { ok: true });
    assert.deepEqual(await answered, { action: 'accept', content: { n: 4, tag: 'ok' } });
  });

  test('a form Gatehouse cannot show is refused with a code, not shown', async () => {
    const c = clock();
    const p = new BoardPrompter({ clock: c });
    await assert.rejects(p.elicit(form(c, { type: 'object', properties: { a: { type: 'object' } } }), never()), { code: 'GATEHOUSE_BAD_REQUEST' });
    assert.deepEqual(p.snapshot().prompts, []);
  });

  test('a URL is opened only after consent, and only once', async () => {
    const c = clock();
    const opened: string[] = [];
    const p = new BoardPrompter({ clock: c, opener: { open: async (u) => void opened.push(u.href) } });
    const answered = p.elicit(url(c, 'https://login.example.com/x'), never());
    const { id } = onlyPrompt(p);
    assert.deepEqual(opened, []);
    const [first, second] = await Promise.all([
      p.answer(id, { kind: 'elicitation', answer: { action: 'accept' } }),
      p.answer(id, { kind: 'elicitation', answer: { action: 'accept' } }),
    ]);
    assert.deepEqual(first, { ok: true });
    assert.ok(!second.ok && second.code === 'gone');
    assert.deepEqual(await answered, { action: 'accept' });
    assert.deepEqual(opened, ['https://login.example.com/x']);
  });

  test('a declined URL is not opened', async () => {
    const c = clock();
    const opened: string[] = [];
    const p = new BoardPrompter({ clock: c, opener: { open: async (u) => void opened.push(u.href) } });
    const answered = p.elicit(url(c, 'https://login.example.com/x'), never());
    await p.answer(onlyPrompt(p).id, { kind: 'elicitation', answer: { action: 'decline' } });
    assert.deepEqual(await answered, { action: 'decline' });
    assert.deepEqual(opened, []);
  });

  test('a URL that is not https is refused before it is shown; loopback http only when allowed', async () => {
    const c = clock();
    const opener = { open: async () => {} };
    const strict = new BoardPrompter({ clock: c, opener });
    for (const href of ['http://login.example.com/', 'http://127.0.0.1:8080/', 'javascript:alert(1)', 'file:///etc/passwd', 'https://accounts.example.com@evil.example/']) {
      await assert.rejects(strict.elicit(url(c, href), never()), { code: 'GATEHOUSE_UNSAFE_URL' }, href);
    }
    assert.deepEqual(strict.snapshot().prompts, []);
    assert.equal(urlProblem('http://127.0.0.1:8080/', true), undefined);
    assert.equal(urlProblem('http://localhost.example.com/', true), 'is not https');
  });

  test('without an opener a URL request is declined', async () => {
    const c = clock();
    assert.deepEqual(await new BoardPrompter({ clock: c }).elicit(url(c, 'https://x.example/'), never()), { action: 'decline' });
  });

  test('sign-in needed is shown once, and its Sign in button starts the sign-in', async () => {
    let started = 0;
    const p = new BoardPrompter({ clock: clock(), signIn: () => started++ });
    p.requestSignIn('nobody is signed in');
    p.requestSignIn('the sign-in expired');
    const shown = onlyPrompt(p);
    assert.ok(shown.kind === 'sign-in' && shown.canStart && shown.reason === 'nobody is signed in');
    assert.deepEqual(await p.answer(shown.id, { kind: 'sign-in', answer: 'sign-in' }), { ok: true });
    assert.equal(started, 1);
    assert.deepEqual(p.snapshot().prompts, []);
  });

  test('notices stay until dismissed; the oldest go when there are too many', async () => {
    const p = new BoardPrompter({ clock: clock() });
    const id = p.notify({ level: 'warning', title: 'Tool quarantined', message: 'search changed its description' });
    assert.ok(id);
    for (let i = 0; i < 25; i++) p.notify({ level: 'info', title: `n${i}`, message: '' });
    const titles = p.snapshot().prompts.map((x) => (x.kind === 'notice' ? x.title : ''));
    assert.equal(titles.length, 20);
    assert.equal(titles[0], 'n24');
    assert.ok(!titles.includes('Tool quarantined'));
  });

  test('onShow hears of every prompt put up', () => {
    const shown: string[] = [];
    const c = clock();
    const p = new BoardPrompter({ clock: c, onShow: (x) => shown.push(x.kind) });
    void p.approve(request(c), never());
    p.notify({ level: 'info', title: 't', message: 'm' });
    assert.deepEqual(shown, ['approval', 'notice']);
    p.close();
  });

  test('a very long tool description is cut to fit the contract rather than failing the prompt', () => {
    const c = clock();
    const p = new BoardPrompter({ clock: c });
    void p.approve(request(c, { tool: { name: 't', description: 'x'.repeat(50_000) } }), never());
    const shown = onlyPrompt(p);
    assert.ok(shown.kind === 'approval' && shown.request.tool.description!.length === 20_000);
    p.close();
  });
});

describe('the guarded pattern matcher', () => {
  test('matches like RegExp.test', () => {
    const matches = guardedPatternMatcher();
    assert.equal(matches('^[A-Z]+-\\d+$', 'OPS-1'), true);
    assert.equal(matches('^[A-Z]+-\\d+$', 'ops-1'), false);
    assert.equal(matches('(', 'x'), false);
  });

  test('gives up on a catastrophically backtracking pattern instead of stalling the broker', () => {
    const matches = guardedPatternMatcher(50);
    const started = process.hrtime.bigint();
    assert.equal(matches('^(a+)+$', `${'a'.repeat(40)}!`), false);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 2_000, `took ${ms} ms`);
  });
});
