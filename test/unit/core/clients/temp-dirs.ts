// Temporary directories for tests that touch the filesystem: never the real home or data dir.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

const created: string[] = [];

after(async () => {
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

export async function tempDir(label = 'gatehouse-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), label));
  created.push(dir);
  return dir;
}

/** Permission bits of a file, e.g. 0o600. */
export async function modeOf(file: string): Promise<number> {
  return (await stat(file)).mode & 0o777;
}

/** POSIX modes mean nothing on Windows. */
export const posixModes = process.platform !== 'win32';

/** A valid-looking token for writer tests that do not go through the registry. */
export const SAMPLE_TOKEN = 'gh_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v';
