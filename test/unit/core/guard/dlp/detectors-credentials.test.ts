import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';
import { detect, matched } from './detect.js';

const s = new Synth(15);

test('finds passwords assigned in text and reports the value, not the label', () => {
  const pw = s.password();
  assert.deepEqual(matched(`DB_PASSWORD=${pw}`), [pw]);
  assert.deepEqual(matched(`"pwd": "${pw}"`), [pw]);
  assert.deepEqual(matched(`mysql --password=${pw} shop`), [pw]);
});

test('ignores type annotations, calls, variables, masks and prose about passwords', () => {
  for (const text of ['password: string;', 'password = getPassword()', 'DB_PASSWORD=${DB_PASSWORD}', 'password: ********', 'The password policy requires 12 characters.', 'password: process.env.DB_PASSWORD']) {
    assert.deepEqual(detect(text), [], text);
  }
});

test('finds the value of a property named like a password or a secret', () => {
  assert.deepEqual(detect({ db: { db_password: s.password() } }), ['password-field']);
  assert.deepEqual(detect({ clientSecret: s.randomSecret(40) }), ['generic-secret-field']);
  assert.deepEqual(detect({ nextPageToken: s.randomSecret(40) }), [], 'pagination tokens are harmless');
  assert.deepEqual(detect({ password: '${SMTP_PASSWORD}' }), []);
});

test('finds the password of a URL; a specific token there is reported as itself', () => {
  const pw = s.password();
  assert.deepEqual(matched(`DATABASE_URL=postgres://app:${pw}@db.internal:5432/orders`), [pw]);
  assert.deepEqual(detect(`https://x-access-token:${s.checksummed('ghp_')}@github.com/acme/infra.git`), ['github-classic-pat']);
  assert.deepEqual(detect('postgres://user:password@localhost:5432/db'), []);
});

test('finds Basic and Bearer credentials and key assignments, not their placeholders', () => {
  assert.deepEqual(detect(`Authorization: Basic ${Buffer.from(`admin:${s.password()}`).toString('base64')}`), ['http-basic-auth']);
  assert.deepEqual(detect('We need a basic understanding of it.'), []);
  assert.deepEqual(detect(`Authorization: Bearer ${s.randomSecret(40)}`), ['bearer-token']);
  assert.deepEqual(detect('Authorization: Bearer YOUR_ACCESS_TOKEN_HERE'), []);
  assert.deepEqual(detect(`client_secret: ${s.randomSecret(36)}`), ['generic-api-key']);
  assert.deepEqual(detect('secret_key = settings.SECRET_KEY_FROM_ENVIRONMENT'), []);
});
