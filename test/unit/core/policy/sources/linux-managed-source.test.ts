import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LINUX_MANAGED_POLICY_PATH, linuxManagedSource } from '../../../../../main/core/policy/sources/linux-managed-source.js';
import { memoryReadFile } from '../__fixtures__/policies.js';

test('reads /etc/gatehouse/policy.json', async () => {
  assert.equal(LINUX_MANAGED_POLICY_PATH, '/etc/gatehouse/policy.json');
  const readFile = memoryReadFile({ '/etc/gatehouse/policy.json': '{"version":1}' });
  const source = linuxManagedSource(readFile);
  assert.equal(source.label, '/etc/gatehouse/policy.json');
  assert.equal(await source.read(), '{"version":1}');
});

test('is absent when no policy was deployed', async () => {
  assert.equal(await linuxManagedSource(memoryReadFile({})).read(), undefined);
});
