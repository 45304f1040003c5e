import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { pinningReferenceIssues, PinningPolicySchema, PoisoningPolicySchema } from '../../../../../main/core/guard/pinning/pinning-policy.js';

const HASH = 'ab'.repeat(32);

describe('pinning and poisoning policy settings', () => {
  test('default to first-seen pinning and hiding poisoned tools until approved', () => {
    assert.deepEqual(PinningPolicySchema.parse({}), { mode: 'first-seen', expected: {} });
    assert.deepEqual(PoisoningPolicySchema.parse({}), { action: 'hide-until-approved' });
  });

  test('accept one expected hash or a list of them per tool', () => {
    const parsed = PinningPolicySchema.parse({ mode: 'policy', expected: { calc: { add: HASH, sub: [HASH, 'cd'.repeat(32)] } } });
    assert.deepEqual(parsed.expected['calc'], { add: HASH, sub: [HASH, 'cd'.repeat(32)] });
  });

  test('reject misspelt keys, unknown modes, malformed hashes and bad server ids, with the path', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ mode: 'first-seen', expectd: {} }, /"expectd" is not a Gatehouse policy setting/],
      [{ mode: 'trust-me' }, /mode/],
      [{ expected: { calc: { add: 'ABC' } } }, /SHA-256 in lowercase hex[\s\S]*expected\.calc\.add/],
      [{ expected: { calc: { add: [] } } }, /expected\.calc\.add/],
      [{ expected: { 'Bad Id': { add: HASH } } }, /must be a server id/],
    ];
    for (const [input, message] of cases) {
      const result = PinningPolicySchema.safeParse(input);
      assert.ok(!result.success, JSON.stringify(input));
      assert.match(z.prettifyError(result.error), message);
    }
    assert.match(z.prettifyError(PoisoningPolicySchema.safeParse({ action: 'block' }).error!), /action/);
  });

  test('expected hashes must name servers the policy has', () => {
    assert.deepEqual(pinningReferenceIssues({ expected: { calc: {}, typo: {} } }, new Set(['calc'])), [
      { path: ['expected', 'typo'], message: 'unknown server id "typo"; it must be the id of an entry in servers' },
    ]);
    assert.deepEqual(pinningReferenceIssues(undefined, new Set()), []);
  });
});
