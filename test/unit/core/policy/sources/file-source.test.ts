import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileSource } from '../../../../../main/core/policy/sources/file-source.js';
import { errnoError, memoryReadFile } from '../__fixtures__/policies.js';

test('reads the policy text from its path', async () => {
  const source = new FileSource({ path: '/srv/policy.json', readFile: memoryReadFile({ '/srv/policy.json': '{"version":1}' }) });
  assert.equal(await source.read(), '{"version":1}');
});

test('is absent when the file does not exist', async () => {
  const source = new FileSource({ path: '/srv/policy.json', readFile: memoryReadFile({}) });
  assert.equal(await source.read(), undefined);
});

test('labels itself with its path unless told otherwise', () => {
  const readFile = memoryReadFile({});
  assert.equal(new FileSource({ path: '/srv/policy.json', readFile }).label, '/srv/policy.json');
  assert.equal(new FileSource({ path: 'p.json', readFile, label: '--policy p.json' }).label, '--policy p.json');
});

test('fails when the file exists but cannot be read', async () => {
  const source = new FileSource({ path: '/srv/policy.json', readFile: memoryReadFile({ '/srv/policy.json': errnoError('EPERM') }) });
  await assert.rejects(source.read(), { code: 'GATEHOUSE_POLICY_UNREADABLE' });
});
