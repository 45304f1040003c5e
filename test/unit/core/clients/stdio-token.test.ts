import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { deleteStdioToken, readStdioToken, stdioTokenPath, writeStdioToken } from '../../../../main/core/clients/stdio-token.js';
import { SAMPLE_TOKEN, tempDir } from './temp-dirs.js';

test('stores, reads back and deletes the token of a stdio client', async () => {
  const dataDir = await tempDir();
  assert.equal(await readStdioToken(dataDir, 'claude-desktop'), undefined);
  await writeStdioToken(dataDir, 'claude-desktop', SAMPLE_TOKEN);
  assert.equal(await readStdioToken(dataDir, 'claude-desktop'), SAMPLE_TOKEN);
  await deleteStdioToken(dataDir, 'claude-desktop');
  await deleteStdioToken(dataDir, 'claude-desktop');
  assert.equal(await readStdioToken(dataDir, 'claude-desktop'), undefined);
});

test('a damaged token file is reported with what to run', async () => {
  const dataDir = await tempDir();
  await writeStdioToken(dataDir, 'claude', SAMPLE_TOKEN);
  await writeFile(stdioTokenPath(dataDir, 'claude'), 'oops');
  await assert.rejects(readStdioToken(dataDir, 'claude'), /gatehouse connect/);
});

test('a client name cannot steer the path out of the data dir', () => {
  assert.throws(() => stdioTokenPath('/data', '../../etc/passwd'), /not valid/);
});
