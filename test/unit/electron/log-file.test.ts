import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOG_FILE_NAME, OLD_LOG_FILE_NAME, openFileLogger } from '../../../main/electron/log-file.js';

test('appends time-stamped lines at or above the level to a user-only file', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const logger = openFileLogger(dir, { now: () => new Date('2026-10-01T12:00:00Z') });
  logger.log('debug', 'hidden');
  logger.log('warn', 'the keychain is locked', { backend: 'memory' });
  await logger.close();
  assert.equal(await readFile(path.join(dir, LOG_FILE_NAME), 'utf8'), '2026-10-01T12:00:00.000Z [gatehouse] warn: the keychain is locked {"backend":"memory"}\n');
  if (process.platform !== 'win32') assert.equal((await stat(logger.file)).mode & 0o777, 0o600);
});

test('a log past its size is kept as the old log and a new one started', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, LOG_FILE_NAME), 'x'.repeat(100));
  const logger = openFileLogger(dir, { maxBytes: 50 });
  logger.log('info', 'fresh');
  await logger.close();
  assert.equal(await readFile(path.join(dir, OLD_LOG_FILE_NAME), 'utf8'), 'x'.repeat(100));
  assert.match(await readFile(path.join(dir, LOG_FILE_NAME), 'utf8'), /^\S+ \[gatehouse\] info: fresh\n$/);
});

test('lines after close are dropped, not an error that would crash the quitting app', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const logger = openFileLogger(dir);
  logger.log('info', 'before');
  await logger.close();
  logger.log('info', 'after');
  await logger.close();
  assert.match(await readFile(path.join(dir, LOG_FILE_NAME), 'utf8'), /info: before\n$/);
});
