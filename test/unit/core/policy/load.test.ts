import { test } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { build } from 'plist';
import { loadPolicy, managedPolicySources, type LoadPolicyOptions } from '../../../../main/core/policy/load.js';
import { PolicyInvalidError } from '../../../../main/core/policy/policy-invalid-error.js';
import type { CommandResult, RunCommand } from '../../../../main/core/policy/sources/run-command.js';
import { errnoError, memoryReadFile, minimalPolicy } from './__fixtures__/policies.js';

const ETC = '/etc/gatehouse/policy.json';
const MAC_DEVICE = '/Library/Managed Preferences/dev.gatehouse.app.plist';
const MAC_USER = '/Library/Managed Preferences/alice/dev.gatehouse.app.plist';

function policyJson(port: number): string {
  return JSON.stringify({ ...minimalPolicy(), endpoint: { port } });
}

function options(overrides: Partial<LoadPolicyOptions> & { files?: Record<string, string | Uint8Array | Error> }): LoadPolicyOptions {
  const { files = {}, ...rest } = overrides;
  return { env: {}, platform: 'linux', readFile: memoryReadFile(files), runCommand: unusedRunCommand, userName: 'alice', ...rest };
}

const unusedRunCommand: RunCommand = async () => assert.fail('no command expected on this platform');

function regAnswering(answers: Record<string, CommandResult>): RunCommand {
  return async (_file, args) => answers[args[1]!] ?? assert.fail(`unexpected reg ${args.join(' ')}`);
}

test('uses the --policy file before every other source', async () => {
  const files = { '/p.json': policyJson(1001), '/env.json': policyJson(1002), [ETC]: policyJson(1003) };
  const loaded = await loadPolicy(options({ flagPath: '/p.json', env: { GATEHOUSE_POLICY: '/env.json' }, files }));
  assert.equal(loaded.policy.endpoint.port, 1001);
  assert.equal(loaded.source, '--policy /p.json');
});

test('uses the GATEHOUSE_POLICY file when no flag is given', async () => {
  const files = { '/env.json': policyJson(1002), [ETC]: policyJson(1003) };
  const loaded = await loadPolicy(options({ env: { GATEHOUSE_POLICY: '/env.json' }, files }));
  assert.equal(loaded.policy.endpoint.port, 1002);
  assert.equal(loaded.source, 'GATEHOUSE_POLICY=/env.json');
});

test('treats an empty GATEHOUSE_POLICY as not set', async () => {
  const loaded = await loadPolicy(options({ env: { GATEHOUSE_POLICY: '' }, files: { [ETC]: policyJson(1003) } }));
  assert.equal(loaded.source, ETC);
});

test('uses /etc/gatehouse/policy.json on Linux when no file is named', async () => {
  const loaded = await loadPolicy(options({ files: { [ETC]: policyJson(1003) } }));
  assert.equal(loaded.policy.endpoint.port, 1003);
  assert.equal(loaded.source, ETC);
});

test('uses the /etc location on other Unix systems too', async () => {
  const loaded = await loadPolicy(options({ platform: 'freebsd', files: { [ETC]: policyJson(1003) } }));
  assert.equal(loaded.source, ETC);
});

test('reports a missing --policy file instead of falling back to the managed policy', async () => {
  await assert.rejects(loadPolicy(options({ flagPath: '/typo.json', files: { [ETC]: policyJson(1003) } })), {
    code: 'GATEHOUSE_POLICY_NOT_FOUND',
    message: 'The policy file /typo.json named by --policy does not exist; check the path, or leave --policy out to use the policy your IT admin deployed',
  });
});

test('reports a missing GATEHOUSE_POLICY file instead of falling back to the managed policy', async () => {
  await assert.rejects(loadPolicy(options({ env: { GATEHOUSE_POLICY: '/typo.json' }, files: { [ETC]: policyJson(1003) } })), {
    code: 'GATEHOUSE_POLICY_NOT_FOUND',
    message: /\/typo\.json named by GATEHOUSE_POLICY does not exist/,
  });
});

test('fails on an invalid policy instead of trying the next source', async () => {
  const invalid = JSON.stringify({ version: 1, servers: [{ id: 'x', url: 'http://example.com/mcp', auth: { mode: 'none' } }] });
  const files = { [MAC_USER]: build(JSON.parse(invalid)), [MAC_DEVICE]: build(JSON.parse(policyJson(1004))) };
  await assert.rejects(loadPolicy(options({ platform: 'darwin', files })), (error: unknown) => {
    assert.ok(error instanceof PolicyInvalidError);
    assert.equal(error.code, 'GATEHOUSE_POLICY_INVALID');
    assert.equal(error.source, MAC_USER);
    assert.deepEqual(error.issues, [{ path: '$.servers[0].url', message: 'must use https (http is allowed only for loopback addresses)' }]);
    assert.match(error.message, /\n {2}\$\.servers\[0\]\.url: must use https \(http is allowed only for loopback addresses\)$/);
    return true;
  });
});

test('lists every issue of an invalid policy in the error message', async () => {
  const files = { '/p.json': JSON.stringify({ version: 2, servers: [], endpoint: { port: 0 } }) };
  await assert.rejects(loadPolicy(options({ flagPath: '/p.json', files })), (error: unknown) => {
    assert.ok(error instanceof PolicyInvalidError);
    assert.deepEqual(error.issues.map((issue) => issue.path), ['$.version', '$.endpoint.port']);
    assert.match(error.message, /^The Gatehouse policy from --policy \/p\.json is invalid \(2 problems\)/);
    assert.match(error.message, /\$\.version: this Gatehouse understands policy version 1 only \(got 2\)/);
    assert.match(error.message, /\$\.endpoint\.port: must be at least 1/);
    return true;
  });
});

test('reports a JSON syntax error as an invalid policy with its position', async () => {
  await assert.rejects(loadPolicy(options({ files: { [ETC]: '{\n  "version": 1,,\n}' } })), (error: unknown) => {
    assert.ok(error instanceof PolicyInvalidError);
    assert.equal(error.issues.length, 1);
    assert.match(error.issues[0]!.message, /^\/etc\/gatehouse\/policy\.json is not valid JSON: .* at line 2, column 16$/);
    return true;
  });
});

test('fails on a policy file that exists but cannot be read', async () => {
  await assert.rejects(loadPolicy(options({ files: { [ETC]: errnoError('EACCES') } })), { code: 'GATEHOUSE_POLICY_UNREADABLE' });
});

test('lists every place it looked when no policy is found', async () => {
  await assert.rejects(loadPolicy(options({})), {
    code: 'GATEHOUSE_POLICY_NOT_FOUND',
    message:
      'No Gatehouse policy found. Looked in: --policy FILE (not given); GATEHOUSE_POLICY (not set); /etc/gatehouse/policy.json. ' +
      'Ask your IT admin to deploy one, or pass --policy FILE or set GATEHOUSE_POLICY to a policy file',
  });
});

test('prefers the per-user managed preferences on macOS', async () => {
  const files = { [MAC_USER]: build(JSON.parse(policyJson(2001))), [MAC_DEVICE]: build(JSON.parse(policyJson(2002))) };
  const loaded = await loadPolicy(options({ platform: 'darwin', files }));
  assert.equal(loaded.policy.endpoint.port, 2001);
  assert.equal(loaded.source, MAC_USER);
});

test('falls back to the device-wide managed preferences on macOS when the user has none', async () => {
  const loaded = await loadPolicy(options({ platform: 'darwin', files: { [MAC_DEVICE]: build(JSON.parse(policyJson(2002))) } }));
  assert.equal(loaded.policy.endpoint.port, 2002);
  assert.equal(loaded.source, MAC_DEVICE);
});

test('lists both macOS managed preference files when neither exists', async () => {
  await assert.rejects(loadPolicy(options({ platform: 'darwin' })), { message: new RegExp(`${MAC_USER}; ${MAC_DEVICE}\\.`) });
});

test('looks in the current user\'s managed preferences when no user is given', () => {
  const { userName: _userName, ...withoutUser } = options({ platform: 'darwin' });
  const labels = managedPolicySources(withoutUser, memoryReadFile({})).map((source) => source.label);
  assert.equal(labels[0], `/Library/Managed Preferences/${userInfo().username}/dev.gatehouse.app.plist`);
});

test('reads the policy from the registry on Windows', async () => {
  const stdout = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse\r\n    Policy    REG_SZ    ' + policyJson(3001) + '\r\n\r\n';
  const runCommand = regAnswering({ 'HKLM\\SOFTWARE\\Policies\\Gatehouse': { exitCode: 0, stdout, stderr: '' } });
  const loaded = await loadPolicy(options({ platform: 'win32', runCommand }));
  assert.equal(loaded.policy.endpoint.port, 3001);
  assert.equal(loaded.source, 'HKLM\\SOFTWARE\\Policies\\Gatehouse');
});

test('names the registry key among the places looked on Windows', async () => {
  const missing: CommandResult = { exitCode: 1, stdout: '', stderr: 'ERROR: not found' };
  const runCommand = regAnswering({ 'HKLM\\SOFTWARE\\Policies\\Gatehouse': missing, 'HKLM\\SOFTWARE\\Policies': missing });
  await assert.rejects(loadPolicy(options({ platform: 'win32', runCommand })), {
    code: 'GATEHOUSE_POLICY_NOT_FOUND',
    message: /Looked in: --policy FILE \(not given\); GATEHOUSE_POLICY \(not set\); HKLM\\SOFTWARE\\Policies\\Gatehouse\./,
  });
});
