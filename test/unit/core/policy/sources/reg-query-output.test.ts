import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinMultiString, listsSubkey, parseRegQueryValues } from '../../../../../main/core/policy/sources/reg-query-output.js';

const KEY_OUTPUT = [
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse',
  '    Policy    REG_SZ    {"version": 1,    "servers": []}',
  '    PolicyFile    REG_EXPAND_SZ    %ProgramData%\\Gatehouse\\policy.json',
  '    Empty    REG_SZ    ',
  '    Lines    REG_MULTI_SZ    {\\0"version": 1\\0}',
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse\\Extra',
  '',
].join('\r\n');

test('reads the name, type and data of each value of the queried key', () => {
  assert.deepEqual(parseRegQueryValues(KEY_OUTPUT), [
    { name: 'Policy', type: 'REG_SZ', data: '{"version": 1,    "servers": []}' },
    { name: 'PolicyFile', type: 'REG_EXPAND_SZ', data: '%ProgramData%\\Gatehouse\\policy.json' },
    { name: 'Empty', type: 'REG_SZ', data: '' },
    { name: 'Lines', type: 'REG_MULTI_SZ', data: '{\\0"version": 1\\0}' },
  ]);
});

test('ignores the values of subkeys that follow the key', () => {
  const output = ['HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse', '', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse\\Sub', '    Policy    REG_SZ    {}', ''].join('\n');
  assert.deepEqual(parseRegQueryValues(output), []);
});

test('keeps value names that contain spaces', () => {
  const output = 'HKEY_LOCAL_MACHINE\\X\r\n    My Value    REG_DWORD    0x1\r\n';
  assert.deepEqual(parseRegQueryValues(output), [{ name: 'My Value', type: 'REG_DWORD', data: '0x1' }]);
});

test('finds a subkey in the listing of its parent, ignoring case', () => {
  const parent = ['', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies', '', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\GATEHOUSE', ''].join('\r\n');
  assert.equal(listsSubkey(parent, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse'), true);
  assert.equal(listsSubkey(parent, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gate'), false);
});

test('does not mistake a value for a subkey', () => {
  const parent = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\r\n    HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse    REG_SZ    x\r\n';
  assert.equal(listsSubkey(parent, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse'), false);
});

test('turns the \\0 separators of a multi-string into line breaks', () => {
  assert.equal(joinMultiString('{\\0  "version": 1\\0}'), '{\n  "version": 1\n}');
});

test('leaves JSON escapes intact, including an escaped backslash before a zero', () => {
  assert.equal(joinMultiString('{"path": "C:\\\\0data\\\\x", "q": "\\"", "u": "\\u00e9"}'), '{"path": "C:\\\\0data\\\\x", "q": "\\"", "u": "\\u00e9"}');
  assert.equal(joinMultiString('{"a": "\\\\"\\0}'), '{"a": "\\\\"\n}');
});
