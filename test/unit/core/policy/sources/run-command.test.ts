import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../../../../main/core/policy/sources/run-command.js';

// Node itself is the one program certain to exist on every test machine.
const node = process.execPath;

test('resolves with the output of a program that succeeds', async () => {
  const result = await runCommand(node, ['-e', 'process.stdout.write("out"); process.stderr.write("err")']);
  assert.deepEqual(result, { exitCode: 0, stdout: 'out', stderr: 'err' });
});

test('resolves with the exit code of a program that fails, rather than rejecting', async () => {
  const result = await runCommand(node, ['-e', 'process.stderr.write("no such key"); process.exit(1)']);
  assert.deepEqual(result, { exitCode: 1, stdout: '', stderr: 'no such key' });
});

test('passes arguments without a shell', async () => {
  const result = await runCommand(node, ['-e', 'process.stdout.write(process.argv[1])', 'HKLM\\A B; echo $HOME']);
  assert.equal(result.stdout, 'HKLM\\A B; echo $HOME');
});

test('rejects when the program cannot be started', async () => {
  await assert.rejects(runCommand('/nonexistent/gatehouse-no-such-program', []), { code: 'ENOENT' });
});
