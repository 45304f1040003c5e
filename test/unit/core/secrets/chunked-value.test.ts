import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CHUNK_UNITS, digestOf, layOut, readHead, splitAtCodePoints } from '../../../../main/core/secrets/chunked-value.js';

// Windows Credential Manager: 2560 bytes of UTF-16.
const WINDOWS_UNITS = 1280;

test('keeps a short secret in a single entry', () => {
  const { head, chunks } = layOut('refresh-token-value');
  assert.deepEqual(chunks, []);
  assert.deepEqual(readHead(head), { kind: 'inline', value: 'refresh-token-value' });
});

test('cuts a secret too long for one Windows credential into chunks under the limit, with a manifest', () => {
  const secret = JSON.stringify({ access_token: 'a'.repeat(4000), refresh_token: 'r'.repeat(2500) });
  const { head, chunks } = layOut(secret);
  assert.ok(chunks.length > 1);
  assert.ok(DEFAULT_CHUNK_UNITS <= WINDOWS_UNITS);
  for (const entry of [head, ...chunks]) assert.ok(entry.length <= DEFAULT_CHUNK_UNITS, `entry of ${entry.length} units`);
  assert.equal(chunks.join(''), secret);
  assert.deepEqual(readHead(head), { kind: 'chunked', manifest: { chunks: chunks.length, sha256: digestOf(secret) } });
});

test('never splits a surrogate pair across two chunks', () => {
  const secret = 'x' + '🔑'.repeat(50);
  const parts = splitAtCodePoints(secret, 8);
  assert.equal(parts.join(''), secret);
  for (const part of parts) {
    assert.ok(part.length <= 8);
    assert.doesNotMatch(part, /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/, 'a chunk starts or ends inside a surrogate pair');
  }
});

test('a secret that looks like a manifest is still stored and read as itself', () => {
  const secret = 'gh1#{"chunks":2,"sha256":"x"}';
  assert.deepEqual(readHead(layOut(secret).head), { kind: 'inline', value: secret });
});

test('reads an entry written without the layout (e.g. by secret-tool) as the secret itself', () => {
  assert.deepEqual(readHead('plain-value'), { kind: 'inline', value: 'plain-value' });
});

test('reads a damaged manifest as unknown rather than as a secret', () => {
  assert.equal(readHead('gh1#{not json'), undefined);
  assert.equal(readHead('gh1#{"chunks":0,"sha256":"x"}'), undefined);
});
