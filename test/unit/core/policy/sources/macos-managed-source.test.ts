import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'plist';
import {
  MACOS_BUNDLE_ID,
  ManagedPlistSource,
  macosManagedSources,
} from '../../../../../main/core/policy/sources/macos-managed-source.js';
import { memoryReadFile } from '../__fixtures__/policies.js';

// Written by Python's plistlib, an implementation independent of the parser under test.
const fixtures = join(import.meta.dirname, '..', '__fixtures__');
const binaryPlist = new Uint8Array(readFileSync(join(fixtures, 'managed-policy.binary.plist')));
const xmlPlist = new Uint8Array(readFileSync(join(fixtures, 'managed-policy.xml.plist')));

const DEVICE_PATH = '/Library/Managed Preferences/dev.gatehouse.app.plist';
const USER_PATH = '/Library/Managed Preferences/alice/dev.gatehouse.app.plist';

const expectedPolicy = {
  version: 1,
  servers: [
    { id: 'everything', name: 'Everything demo', url: 'http://127.0.0.1:3001/mcp', auth: { mode: 'none' }, timeouts: { connectMs: 5000, requestMs: 120000 } },
    { id: 'notes', url: 'https://notes.example.com/mcp', auth: { mode: 'none' } },
  ],
  endpoint: { port: 47475 },
  clients: [{ name: 'cursor', servers: ['everything'] }],
};

test('uses the bundle id dev.gatehouse.app', () => {
  assert.equal(MACOS_BUNDLE_ID, 'dev.gatehouse.app');
});

test('reads the top-level dictionary of an XML plist as the policy object', async () => {
  const source = new ManagedPlistSource(DEVICE_PATH, memoryReadFile({ [DEVICE_PATH]: xmlPlist }));
  assert.deepEqual(await source.read(), expectedPolicy);
});

test('reads a binary plist, as macOS writes managed preferences', async () => {
  const source = new ManagedPlistSource(DEVICE_PATH, memoryReadFile({ [DEVICE_PATH]: binaryPlist }));
  assert.deepEqual(await source.read(), expectedPolicy);
});

test('drops MDM payload bookkeeping keys but keeps every other key for validation', async () => {
  const xml = build({ PayloadUUID: 'x', PayloadType: 'dev.gatehouse.app', Payload: 'kept', version: 1, servers: [] });
  const source = new ManagedPlistSource(DEVICE_PATH, memoryReadFile({ [DEVICE_PATH]: xml }));
  assert.deepEqual(await source.read(), { Payload: 'kept', version: 1, servers: [] });
});

test('is absent when no managed preferences exist', async () => {
  assert.equal(await new ManagedPlistSource(DEVICE_PATH, memoryReadFile({})).read(), undefined);
});

test('rejects a file that is not a property list', async () => {
  const source = new ManagedPlistSource(DEVICE_PATH, memoryReadFile({ [DEVICE_PATH]: '{"version": 1' }));
  await assert.rejects(source.read(), { code: 'GATEHOUSE_POLICY_UNREADABLE', message: /is not a readable property list/ });
});

test('rejects a plist whose top level is not a dictionary', async () => {
  const source = new ManagedPlistSource(DEVICE_PATH, memoryReadFile({ [DEVICE_PATH]: build('{"version":1}') }));
  await assert.rejects(source.read(), { code: 'GATEHOUSE_POLICY_UNREADABLE', message: /must hold a dictionary at its top level/ });
});

test('looks at the per-user managed preferences before the device-wide ones', () => {
  const sources = macosManagedSources({ userName: 'alice', readFile: memoryReadFile({}) });
  assert.deepEqual(sources.map((source) => source.label), [USER_PATH, DEVICE_PATH]);
});

test('looks only at the device-wide preferences when the user is unknown or not a plain name', () => {
  for (const userName of [undefined, '', '..', 'a/b']) {
    const sources = macosManagedSources({ userName, readFile: memoryReadFile({}) });
    assert.deepEqual(sources.map((source) => source.label), [DEVICE_PATH], String(userName));
  }
});
