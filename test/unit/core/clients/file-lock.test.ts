import assert from 'node:assert/strict';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { withFileLock } from '../../../../main/core/clients/file-lock.js';
import { tempDir } from './temp-dirs.js';

test('runs critical sections one at a time', async () => {
  const lock = path.join(await tempDir(), 'x.lock');
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 5 }, () =>
      withFileLock(lock, async () => {
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inside--;
      }),
    ),
  );
  assert.equal(most, 1);
});

test('breaks a lock left behind by a crashed process', async () => {
  const lock = path.join(await tempDir(), 'x.lock');
  await writeFile(lock, '99999');
  const old = new Date(Date.now() - 60_000);
  await utimes(lock, old, old);
  assert.equal(await withFileLock(lock, async () => 'ran'), 'ran');
});

test('gives up on a live lock with a message saying what to do', async () => {
  const lock = path.join(await tempDir(), 'x.lock');
  await writeFile(lock, '1');
  await assert.rejects(withFileLock(lock, async () => 'ran', { timeoutMs: 100 }), /Try again.*delete/);
});
