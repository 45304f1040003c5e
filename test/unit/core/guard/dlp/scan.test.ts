import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_DETECTORS } from '../../../../../main/core/guard/dlp/detectors/index.js';
import { DlpScanner } from '../../../../../main/core/guard/dlp/scan.js';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';
import { findings } from './detect.js';

const s = new Synth(21);

test('reports the JSON path of every string in nested objects and arrays', () => {
  const key = s.awsAccessKeyId();
  const result = findings({ a: { b: [{ c: 'nothing' }, { c: `key ${key}` }] }, 'odd key': [`x ${key}`] });
  assert.deepEqual(
    result.map((f) => [f.path, f.location]),
    [
      ['$.a.b[1].c', ['a', 'b', 1, 'c']],
      ['$["odd key"][0]', ['odd key', 0]],
    ],
  );
  assert.equal(result[0]!.start, 4);
  assert.equal(result[0]!.end, 24);
});

test('previews show a masked value, never the whole of it', () => {
  const token = s.checksummed('ghp_');
  const [finding] = findings(`GITHUB_TOKEN=${token}`);
  assert.equal(finding!.preview, `ghp_…${token.slice(-2)}`);
  assert.ok(!finding!.preview.includes(token.slice(4, 10)));
});

test('finds a secret inside base64 and inside URL encoding, positions in the decoded form', () => {
  const key = s.awsAccessKeyId();
  const [b64] = findings({ blob: Buffer.from(`config: ${key}`).toString('base64') });
  assert.equal(b64!.encoding, 'base64');
  assert.equal(b64!.start, 8);
  const [url] = findings({ q: encodeURIComponent(`a=1&key=${key}`) });
  assert.equal(url!.encoding, 'url');
  assert.deepEqual([url!.detectorId, url!.path], ['aws-access-key-id', '$.q']);
});

test('leaves binary base64 (an image) alone and reports a value present both raw and decoded once', () => {
  assert.deepEqual(findings({ png: `data:image/png;base64,${s.bytes(3000).toString('base64')}` }), []);
  const key = s.awsAccessKeyId();
  assert.equal(findings(`${key}%20and%20more`).length, 1);
});

test('finds a base64-encoded PEM block inside YAML', () => {
  const yaml = `kind: Secret\ndata:\n  tls.key: ${Buffer.from(s.privateKey('RSA ')).toString('base64')}\n`;
  assert.deepEqual(findings(yaml).map((f) => [f.detectorId, f.encoding]), [['private-key', 'base64']]);
});

test('scans object keys, and masks a sensitive key in paths', () => {
  const email = s.email();
  const result = findings({ users: { [email]: { note: `card ${s.card('visa')}` } } });
  assert.deepEqual(result.map((f) => [f.detectorId, f.inKey === true]), [['email-address', true], ['payment-card', false]]);
  assert.ok(!result[1]!.path.includes(email), result[1]!.path);
});

test('scans large integers as text and survives deep nesting', () => {
  assert.deepEqual(findings({ pan: Number(s.card('visa').replace(/\D/g, '')) }).map((f) => f.detectorId), ['payment-card']);
  let deep: unknown = `ssn ${s.ssn()}`;
  for (let i = 0; i < 20_000; i++) deep = [deep];
  assert.deepEqual(findings(deep).map((f) => f.detectorId), ['us-ssn']);
});

test('stops at the findings limit and says the result is truncated', () => {
  const scanner = new DlpScanner(BUILTIN_DETECTORS, { maxFindings: 3 });
  const result = scanner.scan(Array.from({ length: 10 }, () => `SSN ${s.ssn()}`));
  assert.equal(result.findings.length, 3);
  assert.equal(result.truncated, true);
});

test('an enabled mask switches detectors off', () => {
  const scanner = new DlpScanner(BUILTIN_DETECTORS);
  const text = `mail ${s.email()} key ${s.awsAccessKeyId()}`;
  const result = scanner.scan(text, scanner.enabledMask(new Set(['email-address'])));
  assert.deepEqual(result.findings.map((f) => f.detectorId), ['aws-access-key-id']);
});
