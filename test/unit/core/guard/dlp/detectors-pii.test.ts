import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';
import { detect, matched } from './detect.js';

const s = new Synth(16);

test('finds email addresses but not example domains, SSH remotes, retina images or npm scopes', () => {
  const email = s.email();
  assert.deepEqual(matched(`write to ${email}.`), [email]);
  for (const text of ['user@example.com', 'git@github.com:acme/infra.git', 'icon@2x.png', '@modelcontextprotocol/sdk@1.32.2', '@Override']) assert.deepEqual(detect(text), [], text);
});

test('finds US SSNs that follow the area rules', () => {
  const ssn = s.ssn();
  assert.deepEqual(matched(`SSN: ${ssn}`), [ssn]);
  for (const text of ['SSN: 000-12-3456', 'SSN: 666-45-6789', 'SSN: 912-45-6789', 'SSN: 123-45-6789', 'date 2026-11-21']) assert.deepEqual(detect(text), [], text);
});

test('finds phone numbers in international and North American formats, not fictional or malformed ones', () => {
  assert.deepEqual(detect(`call ${s.nanpPhone()}`), ['phone-number']);
  assert.deepEqual(detect(`call ${s.internationalPhone()}`), ['phone-number']);
  for (const text of ['call 212-555-0142', 'order 415-123-4567', 'version +1.2.3', 'count 1234567890']) assert.deepEqual(detect(text), [], text);
});

test('finds UK National Insurance numbers and Aadhaar numbers with a valid Verhoeff digit', () => {
  assert.deepEqual(detect(`NI ${s.nino()}`), ['uk-national-insurance-number']);
  assert.deepEqual(detect('NI QQ123456C'), []);
  assert.deepEqual(detect(`Aadhaar ${s.aadhaar()}`), ['in-aadhaar']);
  assert.deepEqual(detect('Aadhaar 1234 5678 9012'), []);
  assert.deepEqual(detect(`request 6dcc7791-8513-4432-adf9-99db0c1e2f3a`), [], 'digits inside a UUID');
});
