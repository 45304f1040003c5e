import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandResult, RunCommand } from '../../../../../main/core/policy/sources/run-command.js';
import { WINDOWS_POLICY_KEY, WindowsRegistrySource } from '../../../../../main/core/policy/sources/windows-registry-source.js';
import { memoryReadFile } from '../__fixtures__/policies.js';

const KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse';
const NOT_FOUND: CommandResult = { exitCode: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };
const PARENT_WITHOUT_KEY: CommandResult = { exitCode: 0, stdout: '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\r\n\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\r\n', stderr: '' };
const PARENT_WITH_KEY: CommandResult = { exitCode: 0, stdout: `${PARENT_WITHOUT_KEY.stdout}${KEY}\r\n`, stderr: '' };

function keyWith(...valueLines: string[]): CommandResult {
  return { exitCode: 0, stdout: ['', KEY, ...valueLines.map((line) => `    ${line}`), '', ''].join('\r\n'), stderr: '' };
}

/** Answers `reg query <key>` from a table, and records every call. */
function fakeReg(answers: Record<string, CommandResult>): RunCommand & { readonly calls: string[][] } {
  const calls: string[][] = [];
  const run = async (file: string, args: readonly string[]): Promise<CommandResult> => {
    calls.push([file, ...args]);
    assert.equal(file, 'reg');
    assert.equal(args[0], 'query');
    const answer = answers[args[1]!];
    assert.ok(answer, `unexpected reg ${args.join(' ')}`);
    return answer;
  };
  return Object.assign(run, { calls });
}

function source(run: RunCommand, files: Record<string, string> = {}, env: Record<string, string> = {}): WindowsRegistrySource {
  return new WindowsRegistrySource({ runCommand: run, readFile: memoryReadFile(files), env });
}

test('labels itself with the policy registry key', () => {
  assert.equal(WINDOWS_POLICY_KEY, 'HKLM\\SOFTWARE\\Policies\\Gatehouse');
  assert.equal(source(fakeReg({})).label, 'HKLM\\SOFTWARE\\Policies\\Gatehouse');
});

test('returns the JSON text of a REG_SZ Policy value', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('Policy    REG_SZ    {"version": 1, "servers": []}') });
  assert.equal(await source(reg).read(), '{"version": 1, "servers": []}');
  assert.deepEqual(reg.calls, [['reg', 'query', 'HKLM\\SOFTWARE\\Policies\\Gatehouse']]);
});

test('joins the strings of a REG_MULTI_SZ Policy value as lines', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('Policy    REG_MULTI_SZ    {\\0  "version": 1,\\0  "servers": []\\0}') });
  assert.equal(await source(reg).read(), '{\n  "version": 1,\n  "servers": []\n}');
});

test('matches value names regardless of case, as the registry does', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('POLICY    REG_SZ    {}') });
  assert.equal(await source(reg).read(), '{}');
});

test('reads the file a PolicyFile value names', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('PolicyFile    REG_SZ    C:\\ProgramData\\Gatehouse\\policy.json') });
  assert.equal(await source(reg, { 'C:\\ProgramData\\Gatehouse\\policy.json': '{"version":1}' }).read(), '{"version":1}');
});

test('expands environment variables in a REG_EXPAND_SZ PolicyFile', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('PolicyFile    REG_EXPAND_SZ    %ProgramData%\\Gatehouse\\policy.json') });
  const files = { 'C:\\ProgramData\\Gatehouse\\policy.json': '{"version":1}' };
  assert.equal(await source(reg, files, { PROGRAMDATA: 'C:\\ProgramData' }).read(), '{"version":1}');
});

test('fails when PolicyFile names a file that does not exist', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('PolicyFile    REG_SZ    C:\\missing.json') });
  await assert.rejects(source(reg).read(), { code: 'GATEHOUSE_POLICY_UNREADABLE', message: /its PolicyFile names C:\\missing\.json, which does not exist/ });
});

test('is absent when the key does not exist', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: NOT_FOUND, 'HKLM\\SOFTWARE\\Policies': PARENT_WITHOUT_KEY });
  assert.equal(await source(reg).read(), undefined);
});

test('is absent when even the Policies key is missing', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: NOT_FOUND, 'HKLM\\SOFTWARE\\Policies': NOT_FOUND });
  assert.equal(await source(reg).read(), undefined);
});

test('fails, rather than reporting absence, when the key exists but cannot be queried', async () => {
  const denied: CommandResult = { exitCode: 1, stdout: '', stderr: 'FEHLER: Zugriff verweigert\r\n' };
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: denied, 'HKLM\\SOFTWARE\\Policies': PARENT_WITH_KEY });
  await assert.rejects(source(reg).read(), { code: 'GATEHOUSE_POLICY_UNREADABLE', message: /reg query failed: FEHLER: Zugriff verweigert/ });
});

test('finds no policy in a key left without Policy or PolicyFile (a Group Policy setting that was disabled)', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('Other    REG_DWORD    0x1') });
  assert.equal(await source(reg).read(), undefined);
});

test('fails when both Policy and PolicyFile are set', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('Policy    REG_SZ    {}', 'PolicyFile    REG_SZ    C:\\p.json') });
  await assert.rejects(source(reg).read(), { code: 'GATEHOUSE_POLICY_UNREADABLE', message: /sets both Policy and PolicyFile; keep only one/ });
});

test('fails when Policy has a type that cannot hold JSON text', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('Policy    REG_DWORD    0x1') });
  await assert.rejects(source(reg).read(), { message: /Policy must be REG_SZ or REG_MULTI_SZ, not REG_DWORD/ });
});

test('fails when reg.exe could not pass on some characters of the policy', async () => {
  const reg = fakeReg({ [WINDOWS_POLICY_KEY]: keyWith('Policy    REG_SZ    {"name": "Caf\uFFFD"}') });
  await assert.rejects(source(reg).read(), { code: 'GATEHOUSE_POLICY_UNREADABLE', message: /\\u escapes or use PolicyFile/ });
});

test('fails with a Gatehouse error when reg.exe cannot be started', async () => {
  const run: RunCommand = async () => {
    throw Object.assign(new Error('spawn reg ENOENT'), { code: 'ENOENT' });
  };
  await assert.rejects(source(run).read(), { code: 'GATEHOUSE_POLICY_UNREADABLE', message: /could not run reg\.exe \(spawn reg ENOENT\)/ });
});
