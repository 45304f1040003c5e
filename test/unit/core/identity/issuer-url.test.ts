import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAuthorizationUrl, checkIssuerUrl } from '../../../../main/core/identity/issuer-url.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'accepted';
};

test('accepts an https issuer', () => {
  const checked = checkIssuerUrl('https://login.example.com/realms/corp', false);
  assert.equal(checked.insecure, false);
  assert.equal(checked.url.href, 'https://login.example.com/realms/corp');
});

test('refuses an http issuer that is not on loopback, with or without the insecure switch', () => {
  assert.equal(code(() => checkIssuerUrl('http://login.example.com', false)), 'GATEHOUSE_UNSAFE_URL');
  assert.equal(code(() => checkIssuerUrl('http://login.example.com', true)), 'GATEHOUSE_UNSAFE_URL');
  assert.equal(code(() => checkIssuerUrl('http://10.0.0.5:8080', true)), 'GATEHOUSE_UNSAFE_URL');
});

test('refuses an http loopback issuer without the switch and names the switch', () => {
  assert.throws(() => checkIssuerUrl('http://127.0.0.1:4444', false), /--insecure-dev-issuer/);
});

test('accepts an http loopback issuer with the switch, marked insecure', () => {
  assert.equal(checkIssuerUrl('http://127.0.0.1:4444', true).insecure, true);
  assert.equal(checkIssuerUrl('http://localhost:4444', true).insecure, true);
});

test('refuses other schemes, credentials, queries and fragments', () => {
  for (const issuer of ['ftp://idp.example.com', 'https://u:p@idp.example.com', 'https://idp.example.com/?x=1', 'https://idp.example.com/#f', 'idp.example.com']) {
    assert.equal(code(() => checkIssuerUrl(issuer, true)), 'GATEHOUSE_UNSAFE_URL', issuer);
  }
});

test('the authorization page must be https, or loopback http under the switch', () => {
  assert.equal(code(() => checkAuthorizationUrl(new URL('https://idp.example.com/auth'), false)), 'accepted');
  assert.equal(code(() => checkAuthorizationUrl(new URL('http://127.0.0.1:9/auth'), true)), 'accepted');
  assert.equal(code(() => checkAuthorizationUrl(new URL('http://127.0.0.1:9/auth'), false)), 'GATEHOUSE_UNSAFE_URL');
  assert.equal(code(() => checkAuthorizationUrl(new URL('http://evil.example.com/auth'), true)), 'GATEHOUSE_UNSAFE_URL');
  assert.equal(code(() => checkAuthorizationUrl(new URL('javascript:alert(1)'), true)), 'GATEHOUSE_UNSAFE_URL');
});
