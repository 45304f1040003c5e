import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';
import { detect, matched } from './detect.js';

const s = new Synth(14);

test('finds a PEM private key block, whole, also with escaped newlines or cut off', () => {
  const key = s.privateKey('RSA ');
  assert.deepEqual(matched(`key:\n${key}\nthanks`), [key]);
  assert.deepEqual(detect(JSON.stringify({ private_key: s.privateKey('') })), ['private-key']);
  assert.deepEqual(detect(s.privateKey('EC ').slice(0, 300)), ['private-key']);
});

test('ignores key placeholders, public keys and certificates', () => {
  assert.deepEqual(detect('-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'), []);
  assert.deepEqual(detect('-----BEGIN RSA PRIVATE KEY-----\n<your key>\n-----END RSA PRIVATE KEY-----'), []);
  assert.deepEqual(detect(`-----BEGIN PUBLIC KEY-----\n${s.mixed(64)}\n-----END PUBLIC KEY-----`), []);
});

test('finds PuTTY keys and age keys whose bech32 checksum is right', () => {
  assert.deepEqual(detect(s.puttyKey()), ['putty-private-key']);
  const age = s.ageKey();
  assert.deepEqual(detect(`SOPS_AGE_KEY=${age}`), ['age-secret-key']);
  assert.deepEqual(detect(`SOPS_AGE_KEY=${age.slice(0, -1)}${age.endsWith('Q') ? 'P' : 'Q'}`), []);
});

test('finds JWTs whose header and payload decode to JSON, not other base64 that starts with eyJ', () => {
  const jwt = s.jwt();
  assert.deepEqual(matched(`Authorization: Bearer ${jwt}`), [jwt], 'the JWT, not also a bearer token');
  assert.deepEqual(detect(`eyJ${s.mixed(40)}.eyJ${s.mixed(40)}.${s.mixed(43)}`), []);
});
