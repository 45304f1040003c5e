import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';
import { detect, matched } from './detect.js';

const s = new Synth(11);

test('finds AWS access key ids but not the documentation example or a masked one', () => {
  const key = s.awsAccessKeyId();
  assert.deepEqual(matched(`aws_access_key_id=${key}`), [key]);
  assert.deepEqual(detect('aws_access_key_id = AKIAIOSFODNN7EXAMPLE'), []);
  assert.deepEqual(detect('AKIAXXXXXXXXXXXXXXXX'), []);
  assert.deepEqual(detect(`x${key}`), [], 'inside a longer token');
});

test('finds an AWS secret access key only next to an AWS keyword or in an AWS-named property', () => {
  const secret = s.awsSecretAccessKey();
  assert.deepEqual(detect(`aws_secret_access_key = ${secret}`), ['aws-secret-access-key']);
  assert.deepEqual(detect({ AWS_SECRET_ACCESS_KEY: secret }), ['aws-secret-access-key']);
  assert.deepEqual(detect(`checksum ${secret}`), []);
  assert.deepEqual(detect('the laws say 9fceb02d0ae598e95dc970b74767f19372d61af8'), []);
});

test('finds AWS session tokens, Google keys and tokens', () => {
  assert.deepEqual(detect(`AWS_SESSION_TOKEN=${s.awsSessionToken()}`), ['aws-session-token']);
  assert.deepEqual(detect(`key=${s.gcpApiKey()}`), ['gcp-api-key']);
  assert.deepEqual(detect(`secret ${s.gcpOauthClientSecret()}`), ['gcp-oauth-client-secret']);
  assert.deepEqual(detect(`token ${s.googleAccessToken()}`), ['google-oauth-access-token']);
  assert.deepEqual(detect(`rt ${s.googleRefreshToken()}`), ['google-oauth-refresh-token']);
  assert.deepEqual(detect('GOOGLE_API_KEY=AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'), []);
});

test('finds Azure storage keys (not the emulator key), SAS signatures and Entra client secrets', () => {
  const key = s.azureStorageKey();
  assert.deepEqual(matched(`AccountName=x;AccountKey=${key};EndpointSuffix=core.windows.net`), [key], 'the value, not its label');
  assert.deepEqual(detect('AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='), []);
  assert.deepEqual(detect(`https://a.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=${s.azureSasSignature()}`), ['azure-sas-token']);
  assert.deepEqual(detect(`https://api.example.org/x?sig=${s.azureSasSignature()}`), [], 'sig= without a SAS around it');
  assert.deepEqual(detect(`AZURE_CLIENT_SECRET=${s.azureClientSecret()}`), ['azure-client-secret']);
});
