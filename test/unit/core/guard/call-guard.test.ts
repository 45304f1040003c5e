import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CallGuard, type GuardDecision, type GuardedCall, type GuardStep } from '../../../../main/core/guard/call-guard.js';

const call = (): GuardedCall => ({ clientName: 'c', user: 'u', serverId: 's', toolName: 't', arguments: { text: 'secret' }, session: { id: 'x', approvals: new Set() } });
const step = (name: string, check: (call: GuardedCall) => GuardDecision | Promise<GuardDecision>): GuardStep => ({ name, check });

describe('the guard pipeline', () => {
  test('answers synchronously when every step does, so an ordinary call stays on the fast path', () => {
    const guard = new CallGuard([step('a', () => ({ ok: true })), step('b', () => ({ ok: true }))]);
    assert.deepEqual(guard.check(call()), { ok: true, steps: [{ step: 'a', outcome: 'allow' }, { step: 'b', outcome: 'allow' }] });
  });

  test('the first refusal ends the pipeline; later steps do not run', () => {
    const ran: string[] = [];
    const guard = new CallGuard([
      step('a', () => (ran.push('a'), { ok: false, code: 'GATEHOUSE_RATE_LIMITED', message: 'slow down' })),
      step('b', () => (ran.push('b'), { ok: true })),
    ]);
    assert.deepEqual(guard.check(call()), { ok: false, code: 'GATEHOUSE_RATE_LIMITED', message: 'slow down', steps: [{ step: 'a', outcome: 'deny', code: 'GATEHOUSE_RATE_LIMITED' }] });
    assert.deepEqual(ran, ['a']);
  });

  test('changed arguments reach the next steps and the result, across asynchronous steps', async () => {
    const seen: unknown[] = [];
    const guard = new CallGuard([
      step('redact', () => ({ ok: true, arguments: { text: '[REDACTED]' }, ask: ['DLP found a key'] })),
      step('later', async (c) => {
        seen.push(c.arguments, c.ask);
        return { ok: true };
      }),
      step('last', (c) => (seen.push(c.arguments), { ok: true })),
    ]);
    const decision = await guard.check(call());
    assert.deepEqual(decision.ok && decision.arguments, { text: '[REDACTED]' });
    assert.deepEqual(seen, [{ text: '[REDACTED]' }, ['DLP found a key'], { text: '[REDACTED]' }]);
  });

  test('an asynchronous refusal is the answer', async () => {
    const guard = new CallGuard([step('ask', () => Promise.resolve({ ok: false, code: 'GATEHOUSE_APPROVAL_DENIED', message: 'no' }))]);
    const decision = await guard.check(call());
    assert.equal(!decision.ok && decision.code, 'GATEHOUSE_APPROVAL_DENIED');
  });

  test('records each step as the step describes itself, for the audit trail, with what DLP masked', async () => {
    const guard = new CallGuard([
      step('authorization', () => ({ ok: true })),
      step('dlp', () => ({ ok: true, maskedArguments: { text: '****' }, note: { step: 'dlp', outcome: 'log', detectors: ['aws-key'] } })),
      step('approval', async () => ({ ok: true, note: { step: 'approval', outcome: 'approved', ms: 1200 } })),
    ]);
    assert.deepEqual(await guard.check(call()), {
      ok: true,
      maskedArguments: { text: '****' },
      steps: [{ step: 'authorization', outcome: 'allow' }, { step: 'dlp', outcome: 'log', detectors: ['aws-key'] }, { step: 'approval', outcome: 'approved', ms: 1200 }],
    });
  });
});
