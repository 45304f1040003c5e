import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { isGatehouseError } from '../../../common/errors.js';
import {
  ENDPOINT_FILE_NAME,
  ensureDataDir,
  readEndpointFile,
  resolveDataDir,
  writeEndpointFile,
  writePrivateFile,
} from '../../../main/core/data-dir.js';
import { modeOf, posixModes, tempDir } from './clients/temp-dirs.js';

describe('resolveDataDir', () => {
  const home = '/home/ada';

  test('the --data-dir flag wins over GATEHOUSE_DATA_DIR and the OS default', () => {
    const env = { GATEHOUSE_DATA_DIR: '/from/env', XDG_DATA_HOME: '/xdg' };
    assert.equal(resolveDataDir({ flag: '/from/flag', env, platform: 'linux', homedir: home }), '/from/flag');
  });

  test('GATEHOUSE_DATA_DIR wins over the OS default', () => {
    assert.equal(resolveDataDir({ env: { GATEHOUSE_DATA_DIR: '/from/env' }, platform: 'darwin', homedir: home }), '/from/env');
  });

  test('empty flag and variable are treated as unset', () => {
    assert.equal(
      resolveDataDir({ flag: '', env: { GATEHOUSE_DATA_DIR: ' ' }, platform: 'linux', homedir: home }),
      '/home/ada/.local/share/gatehouse',
    );
  });

  test('a relative flag is resolved against the working directory and ~ is expanded', () => {
    assert.equal(resolveDataDir({ flag: 'data', env: {}, platform: 'linux', homedir: home, cwd: '/work' }), '/work/data');
    assert.equal(resolveDataDir({ flag: '~/gh', env: {}, platform: 'linux', homedir: home, cwd: '/work' }), '/home/ada/gh');
  });

  test('Linux uses XDG_DATA_HOME, ignoring a relative one as the XDG spec requires', () => {
    assert.equal(resolveDataDir({ env: { XDG_DATA_HOME: '/xdg/data' }, platform: 'linux', homedir: home }), '/xdg/data/gatehouse');
    assert.equal(resolveDataDir({ env: { XDG_DATA_HOME: 'rel' }, platform: 'linux', homedir: home }), '/home/ada/.local/share/gatehouse');
    assert.equal(resolveDataDir({ env: {}, platform: 'linux', homedir: home }), '/home/ada/.local/share/gatehouse');
  });

  test('macOS uses ~/Library/Application Support/Gatehouse', () => {
    assert.equal(
      resolveDataDir({ env: {}, platform: 'darwin', homedir: '/Users/ada' }),
      '/Users/ada/Library/Application Support/Gatehouse',
    );
  });

  test('Windows uses %APPDATA%\\Gatehouse, with a fallback when APPDATA is unset', () => {
    const homedir = 'C:\\Users\\ada';
    assert.equal(
      resolveDataDir({ env: { APPDATA: 'D:\\Roaming' }, platform: 'win32', homedir }),
      'D:\\Roaming\\Gatehouse',
    );
    assert.equal(resolveDataDir({ env: {}, platform: 'win32', homedir }), 'C:\\Users\\ada\\AppData\\Roaming\\Gatehouse');
  });
});

describe('ensureDataDir', () => {
  test('creates missing parents and makes the directory user-only (0700)', async () => {
    const dir = path.join(await tempDir(), 'a', 'b', 'gatehouse');
    assert.equal(await ensureDataDir(dir), dir);
    if (posixModes) assert.equal(await modeOf(dir), 0o700);
  });

  test('tightens an existing directory that others could read', { skip: !posixModes }, async () => {
    const dir = path.join(await tempDir(), 'open');
    await mkdir(dir);
    await chmod(dir, 0o755);
    await ensureDataDir(dir);
    assert.equal(await modeOf(dir), 0o700);
  });

  test('refuses a path that is a file, saying how to choose another', async () => {
    const file = path.join(await tempDir(), 'file');
    await writeFile(file, 'x');
    await assert.rejects(ensureDataDir(file), (error) => isGatehouseError(error) && error.code === 'GATEHOUSE_USAGE' && /--data-dir/.test(error.message));
  });
});

describe('writePrivateFile', () => {
  test('replaces the content, leaves the file 0600 and no temp file behind', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'secret.json');
    await writeFile(file, 'old', { mode: 0o644 });
    await writePrivateFile(file, 'new');
    assert.equal(await readFile(file, 'utf8'), 'new');
    if (posixModes) assert.equal(await modeOf(file), 0o600);
    assert.deepEqual(await readdir(dir), ['secret.json']);
  });

  test('fails cleanly when the directory does not exist', async () => {
    const file = path.join(await tempDir(), 'missing', 'x.json');
    await assert.rejects(writePrivateFile(file, 'x'), /ENOENT/);
  });
});

describe('endpoint file', () => {
  test('round-trips the endpoint in a 0600 file', async () => {
    const dir = await tempDir();
    const info = { port: 43123, pid: 4242, url: 'http://127.0.0.1:43123/mcp' };
    const file = await writeEndpointFile(dir, info);
    assert.equal(file, path.join(dir, ENDPOINT_FILE_NAME));
    assert.deepEqual(await readEndpointFile(dir), info);
    if (posixModes) assert.equal(await modeOf(file), 0o600);
  });

  test('reads as undefined when no broker published one', async () => {
    assert.equal(await readEndpointFile(await tempDir()), undefined);
  });

  test('rejects a tampered file pointing off the loopback or at another port', async () => {
    const dir = await tempDir();
    const file = path.join(dir, ENDPOINT_FILE_NAME);
    for (const url of ['http://evil.example:43123/mcp', 'https://127.0.0.1:43123/mcp', 'http://127.0.0.1:9999/mcp']) {
      await writeFile(file, JSON.stringify({ port: 43123, pid: 1, url }));
      await assert.rejects(readEndpointFile(dir), (error) => isGatehouseError(error) && error.code === 'GATEHOUSE_BROKER_NOT_RUNNING');
    }
  });

  test('rejects a file that is not JSON, telling the user to restart the broker', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, ENDPOINT_FILE_NAME), '{port:');
    await assert.rejects(readEndpointFile(dir), /not valid JSON.*gatehouse serve/);
  });

  test('refuses to publish an endpoint that is not on the loopback', async () => {
    await assert.rejects(writeEndpointFile(await tempDir(), { port: 80, pid: 1, url: 'http://0.0.0.0:80/mcp' }));
  });
});
