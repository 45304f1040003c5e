import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePolicyText, readOptionalFile } from '../../../../../main/core/policy/sources/read-policy-file.js';
import { errnoError, memoryReadFile } from '../__fixtures__/policies.js';

test('returns the bytes of a file that exists', async () => {
  const bytes = await readOptionalFile(memoryReadFile({ '/p.json': '{}' }), '/p.json');
  assert.equal(new TextDecoder().decode(bytes), '{}');
});

test('treats a missing file as absent', async () => {
  assert.equal(await readOptionalFile(memoryReadFile({}), '/missing.json'), undefined);
  assert.equal(await readOptionalFile(memoryReadFile({ '/file/p.json': errnoError('ENOTDIR') }), '/file/p.json'), undefined);
});

test('reports a file it may not read as unreadable, saying how to fix it', async () => {
  await assert.rejects(readOptionalFile(memoryReadFile({ '/p.json': errnoError('EACCES') }), '/p.json'), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'GATEHOUSE_POLICY_UNREADABLE');
    assert.equal(error.message, 'Cannot read the policy file /p.json (EACCES); make it readable by the user who runs Gatehouse');
    return true;
  });
});

test('reports a folder given as the policy file', async () => {
  await assert.rejects(readOptionalFile(memoryReadFile({ '/etc': errnoError('EISDIR') }), '/etc'), /it is a folder/);
});

test('reports an unexpected failure without a code as unreadable', async () => {
  const failing = async (): Promise<Uint8Array> => {
    throw new Error('disk on fire');
  };
  await assert.rejects(readOptionalFile(failing, '/p.json'), { code: 'GATEHOUSE_POLICY_UNREADABLE', message: /disk on fire/ });
});

test('decodes UTF-8 and drops its byte order mark', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"name":"Café"}')]);
  assert.equal(decodePolicyText(bytes, '/p.json'), '{"name":"Café"}');
});

test('decodes UTF-16 files that carry a byte order mark', () => {
  const le = new Uint8Array([0xff, 0xfe, ...Buffer.from('{"a":"é"}', 'utf16le')]);
  assert.equal(decodePolicyText(le, '/p.json'), '{"a":"é"}');
  const be = new Uint8Array([0xfe, 0xff, ...Buffer.from('{}', 'utf16le').swap16()]);
  assert.equal(decodePolicyText(be, '/p.json'), '{}');
});

test('rejects text in a legacy code page instead of guessing', () => {
  const latin1 = new Uint8Array([0x7b, 0x22, 0x43, 0x61, 0x66, 0xe9, 0x22, 0x7d]);
  assert.throws(() => decodePolicyText(latin1, 'C:\\p.json'), {
    code: 'GATEHOUSE_POLICY_UNREADABLE',
    message: 'The policy file C:\\p.json is not valid UTF-8 text; save it as UTF-8',
  });
});
