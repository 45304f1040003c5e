// The MDM templates in resources/mdm/ are what IT actually deploys, so each is read back here the
// way Gatehouse reads the OS managed location it fills (loadPolicy with that platform, in-memory
// files and a fake reg.exe), and the policy it produces must pass the validation `gatehouse policy
// validate` uses. Every key a template sets must be a policy setting (or, on Windows, a registry
// value the reader reads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, parse } from 'plist';
import { policyJsonSchema } from '../../../main/core/policy/json-schema.js';
import { loadPolicy } from '../../../main/core/policy/load.js';
import { LINUX_MANAGED_POLICY_PATH } from '../../../main/core/policy/sources/linux-managed-source.js';
import { MACOS_BUNDLE_ID, MACOS_MANAGED_PREFERENCES_DIR } from '../../../main/core/policy/sources/macos-managed-source.js';
import type { CommandResult, RunCommand } from '../../../main/core/policy/sources/run-command.js';
import { WINDOWS_POLICY_KEY } from '../../../main/core/policy/sources/windows-registry-source.js';
import { parsePolicyText } from '../../../main/core/policy/validate.js';
import { memoryReadFile } from '../core/policy/__fixtures__/policies.js';
import { child, descendants, parseXml, type XmlElement } from './__fixtures__/minimal-xml.js';
import { keysOutsideSchema } from './__fixtures__/schema-keys.js';

const mdm = join(import.meta.dirname, '..', '..', '..', 'resources', 'mdm');
const read = (path: string) => readFileSync(join(mdm, path), 'utf8');
const schema = policyJsonSchema() as Record<string, unknown>;

const linuxText = read('linux/policy.json');
const linuxExample = JSON.parse(linuxText) as Record<string, unknown>;

// ---------------------------------------------------------------------------------------------- Linux

test('linux/policy.json validates as a policy', () => {
  const result = parsePolicyText(linuxText, 'linux/policy.json');
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
});

test('linux/policy.json sets only keys the policy schema defines', () => {
  assert.deepEqual(keysOutsideSchema(linuxExample, schema), []);
});

test('linux/policy.json is what Gatehouse loads when it is dropped at /etc/gatehouse/policy.json', async () => {
  const loaded = await loadPolicy({ platform: 'linux', env: {}, readFile: memoryReadFile({ [LINUX_MANAGED_POLICY_PATH]: linuxText }) });
  assert.equal(loaded.source, '/etc/gatehouse/policy.json');
  assert.equal(loaded.policy.servers.length, 2);
});

test('the key walker reports a key the schema does not define, however deep', () => {
  // Guards the two tests on schema keys: a walker that found nothing would pass them too.
  const servers = linuxExample['servers'] as Record<string, unknown>[];
  const typo = { ...linuxExample, servers: [{ ...servers[0], auth: { mode: 'token-exchange', audiance: 'x' } }] };
  assert.deepEqual(keysOutsideSchema(typo, schema), ['$.servers[0].auth.audiance']);
  assert.deepEqual(keysOutsideSchema({ ...linuxExample, endpiont: {} }, schema), ['$.endpiont']);
});

// ---------------------------------------------------------------------------------------------- macOS

const profile = parse(read('macos/dev.gatehouse.app.mobileconfig')) as Record<string, unknown>;
const payloads = profile['PayloadContent'] as Record<string, unknown>[];
const gatehousePayloads = payloads.filter((payload) => payload['PayloadType'] === MACOS_BUNDLE_ID);
const withoutPayloadKeys = (dictionary: Record<string, unknown>) => Object.fromEntries(Object.entries(dictionary).filter(([key]) => !key.startsWith('Payload')));

test('the mobileconfig is a device-wide configuration profile with one payload for dev.gatehouse.app', () => {
  assert.equal(profile['PayloadType'], 'Configuration');
  assert.equal(profile['PayloadScope'], 'System');
  assert.equal(profile['PayloadVersion'], 1);
  assert.equal(gatehousePayloads.length, 1);
  const uuids = [profile, ...payloads].map((dictionary) => dictionary['PayloadUUID']);
  for (const uuid of uuids) assert.match(String(uuid), /^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/);
  assert.equal(new Set(uuids).size, uuids.length, 'every PayloadUUID is distinct');
  for (const dictionary of [profile, ...payloads]) {
    for (const key of ['PayloadIdentifier', 'PayloadDisplayName']) assert.equal(typeof dictionary[key], 'string', `${key} is set`);
  }
});

test('the mobileconfig payload sets only keys the policy schema defines', () => {
  assert.deepEqual(keysOutsideSchema(withoutPayloadKeys(gatehousePayloads[0]!), schema), []);
});

test('the managed preferences the mobileconfig produces load as a valid policy', async () => {
  // macOS writes the payload's keys to /Library/Managed Preferences/<domain>.plist (the Payload*
  // bookkeeping may come along; the reader drops it).
  const managed = `${MACOS_MANAGED_PREFERENCES_DIR}/${MACOS_BUNDLE_ID}.plist`;
  const readFile = memoryReadFile({ [managed]: build(gatehousePayloads[0]! as Parameters<typeof build>[0]) });
  const loaded = await loadPolicy({ platform: 'darwin', env: {}, userName: undefined, readFile });
  assert.equal(loaded.source, '/Library/Managed Preferences/dev.gatehouse.app.plist');
  const fromLinux = parsePolicyText(linuxText, 'linux/policy.json');
  assert.ok(fromLinux.ok);
  const { $schema: _schema, ...linuxPolicy } = fromLinux.policy;
  assert.deepEqual(loaded.policy, linuxPolicy, 'the mobileconfig carries the same example policy as linux/policy.json');
});

// -------------------------------------------------------------------------------------------- Windows

interface RegistryWrite {
  readonly policy: string;
  readonly key: string;
  readonly valueName: string;
  readonly type: 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_MULTI_SZ';
}

const admx = parseXml(read('windows/gatehouse.admx'));
const adml = parseXml(read('windows/en-US/gatehouse.adml'));
const admxPolicies = descendants(admx, 'policy');

/** The registry values an ADMX policy writes when enabled: the policy's own value and its elements'. */
function registryWrites(policy: XmlElement): RegistryWrite[] {
  const name = policy.attributes['name']!;
  assert.equal(policy.attributes['valueName'], undefined, `${name}: a policy-level value would be a DWORD flag Gatehouse does not read`);
  const elements = child(policy, 'elements')?.children ?? [];
  return elements.map((element) => {
    const key = element.attributes['key'] ?? policy.attributes['key']!;
    const valueName = element.attributes['valueName']!;
    switch (element.name) {
      case 'multiText':
        return { policy: name, key, valueName, type: 'REG_MULTI_SZ' };
      case 'text':
        return { policy: name, key, valueName, type: element.attributes['expandable'] === 'true' ? 'REG_EXPAND_SZ' : 'REG_SZ' };
      default:
        throw new Error(`${name}: this test does not know what registry value a <${element.name}> writes; teach registryWrites()`);
    }
  });
}

// The values WindowsRegistrySource reads and the types it accepts for each.
const READER_VALUES: Record<string, readonly string[]> = {
  Policy: ['REG_SZ', 'REG_MULTI_SZ'],
  PolicyFile: ['REG_SZ', 'REG_EXPAND_SZ'],
};

test('every ADMX setting is a machine policy under the key Gatehouse reads', () => {
  assert.ok(admxPolicies.length > 0);
  const readerKey = WINDOWS_POLICY_KEY.replace(/^HKLM\\/, '');
  for (const policy of admxPolicies) {
    // User policies land in HKCU, which Gatehouse never reads: a user could write there too.
    assert.equal(policy.attributes['class'], 'Machine', `${policy.attributes['name']} must be class="Machine"`);
    for (const write of registryWrites(policy)) assert.equal(write.key.toLowerCase(), readerKey.toLowerCase(), `${write.policy} writes under ${write.key}`);
  }
});

test('the ADMX writes exactly the registry values Gatehouse reads, with types it accepts', () => {
  const writes = admxPolicies.flatMap(registryWrites);
  assert.deepEqual(writes.map((write) => write.valueName).sort(), Object.keys(READER_VALUES).sort());
  for (const write of writes) {
    assert.ok(READER_VALUES[write.valueName]!.includes(write.type), `${write.valueName} is written as ${write.type}`);
  }
});

test('every string and presentation the ADMX names is defined in the en-US ADML', () => {
  const strings = new Map(descendants(adml, 'string').map((string) => [string.attributes['id'], string.text.trim()]));
  const presentations = new Map(descendants(adml, 'presentation').map((presentation) => [presentation.attributes['id'], presentation]));
  const references = [admx, ...descendants(admx, 'policy'), ...descendants(admx, 'category'), ...descendants(admx, 'definition')]
    .flatMap((element) => Object.values(element.attributes))
    .flatMap((value) => [...value.matchAll(/\$\((string|presentation)\.([^)]+)\)/g)]);
  assert.ok(references.length > 0);
  for (const [reference, kind, id] of references) {
    if (kind === 'string') assert.ok(strings.get(id), `${reference} has no text in the ADML`);
    else assert.ok(presentations.has(id), `${reference} is missing from the ADML`);
  }
  for (const policy of admxPolicies) {
    const presentationId = /^\$\(presentation\.(.+)\)$/.exec(policy.attributes['presentation'] ?? '')?.[1];
    const controls = presentations.get(presentationId)?.children ?? [];
    const elementIds = (child(policy, 'elements')?.children ?? []).map((element) => element.attributes['id']);
    assert.deepEqual(controls.map((control) => control.attributes['refId']).sort(), elementIds.sort(), `${policy.attributes['name']}: one control per element`);
  }
});

// What an admin would enter in each setting, keyed by registry value name.
const POLICY_FILE_PATH = 'C:\\Program Files\\Gatehouse Policy\\policy.json';
const ADMIN_INPUT: Record<string, { readonly data: string; readonly env?: Record<string, string>; readonly files?: Record<string, string> }> = {
  // The multi-line box: the example policy pasted as it is, one line per string.
  Policy: { data: linuxText.trimEnd().split('\n').join('\\0') },
  PolicyFile: {
    data: '%ProgramFiles%\\Gatehouse Policy\\policy.json',
    env: { ProgramFiles: 'C:\\Program Files' },
    files: { [POLICY_FILE_PATH]: linuxText },
  },
};

/** `reg query` answering with the values Group Policy wrote for these settings. */
function regWith(writes: readonly RegistryWrite[]): RunCommand {
  const lines = ['', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse'];
  for (const write of writes) lines.push(`    ${write.valueName}    ${write.type}    ${ADMIN_INPUT[write.valueName]!.data}`);
  const answer: CommandResult = { exitCode: 0, stdout: [...lines, '', ''].join('\r\n'), stderr: '' };
  return async (file, args) => {
    assert.deepEqual([file, ...args], ['reg', 'query', WINDOWS_POLICY_KEY]);
    return answer;
  };
}

for (const policy of admxPolicies) {
  test(`enabling the ADMX setting ${policy.attributes['name']} gives Gatehouse a valid policy`, async () => {
    const writes = registryWrites(policy);
    const inputs = writes.map((write) => ADMIN_INPUT[write.valueName]);
    assert.ok(inputs.every((input) => input !== undefined), 'every value the setting writes has sample input in ADMIN_INPUT');
    const env = Object.assign({}, ...inputs.map((input) => input?.env ?? {})) as Record<string, string>;
    const files = Object.assign({}, ...inputs.map((input) => input?.files ?? {})) as Record<string, string>;
    const loaded = await loadPolicy({ platform: 'win32', env, runCommand: regWith(writes), readFile: memoryReadFile(files) });
    assert.equal(loaded.source, WINDOWS_POLICY_KEY);
    assert.deepEqual(loaded.policy.servers.map((server) => server.id), ['tickets', 'docs']);
  });
}
