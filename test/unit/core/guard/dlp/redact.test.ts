import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskMarker, redact } from '../../../../../main/core/guard/dlp/redact.js';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';
import { findings } from './detect.js';

const s = new Synth(22);

test('replaces only the matched characters and keeps everything else', () => {
  const key = s.awsAccessKeyId();
  const args = { cmd: `deploy --key ${key} --region eu-west-1`, other: { n: 1, list: ['a'] } };
  const out = redact(args, findings(args)) as typeof args;
  assert.equal(out.cmd, 'deploy --key [REDACTED:aws-access-key-id] --region eu-west-1');
  assert.equal(out.other, args.other, 'untouched branches are shared');
  assert.ok(args.cmd.includes(key), 'the original is not modified');
});

test('replaces several matches in one string, right to left', () => {
  const text = `a ${s.email()} b ${s.ssn()} c`;
  assert.equal(redact(text, findings(text)), 'a [REDACTED:email-address] b [REDACTED:us-ssn] c');
});

test('replaces the whole value when the match was inside its encoding', () => {
  const args = { blob: Buffer.from(`token ${s.checksummed('ghp_')}`).toString('base64') };
  assert.deepEqual(redact(args, findings(args)), { blob: '[REDACTED:github-classic-pat]' });
});

test('renames a key that matched and turns a matching number into a marker', () => {
  const email = s.email();
  const pan = Number(s.card('visa').replace(/\D/g, ''));
  const args = { [email]: 'admin', pan, list: [pan] };
  assert.deepEqual(redact(args, findings(args)), { '[REDACTED:email-address]': 'admin', pan: '[REDACTED:payment-card]', list: ['[REDACTED:payment-card]'] });
});

test('masks for display with the preview', () => {
  const key = s.awsAccessKeyId();
  assert.equal(redact(`k ${key}`, findings(`k ${key}`), maskMarker), `k [AKIA…${key.slice(-2)}]`);
});
