import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { IDE_WRITERS } from '../../../../../main/core/clients/ide/index.js';
import { SAMPLE_TOKEN, tempDir } from '../temp-dirs.js';

const writer = IDE_WRITERS.generic;
const gatehouseCommand = { command: 'gatehouse', args: [] };
const masked = `Bearer gh_…${SAMPLE_TOKEN.slice(-4)}`;

test('returns a single { url, headers } for the aggregate entry and writes nothing', async () => {
  const homedir = await tempDir();
  const environment = { homedir, platform: 'linux' as const, env: {} };
  const result = await writer.write(
    { clientName: 'other', entries: [{ key: 'gatehouse', url: 'http://127.0.0.1:4319/mcp' }], token: SAMPLE_TOKEN, gatehouseCommand },
    environment,
  );
  assert.equal(result.path, undefined);
  assert.equal(writer.configPath(environment), undefined);
  assert.deepEqual(result.config, { url: 'http://127.0.0.1:4319/mcp', headers: { Authorization: `Bearer ${SAMPLE_TOKEN}` } });
  assert.deepEqual(result.written, { url: 'http://127.0.0.1:4319/mcp', headers: { Authorization: masked } });
  assert.deepEqual(await readdir(homedir), []);
});

test('returns an object keyed by entry for several servers', async () => {
  const result = await writer.write(
    {
      clientName: 'other',
      entries: [
        { key: 'gatehouse-a', url: 'http://127.0.0.1:1/mcp/a', serverId: 'a' },
        { key: 'gatehouse-b', url: 'http://127.0.0.1:1/mcp/b', serverId: 'b' },
      ],
      token: SAMPLE_TOKEN,
      gatehouseCommand,
    },
    { homedir: '/nonexistent', platform: 'linux', env: {} },
  );
  assert.deepEqual(result.written, {
    'gatehouse-a': { url: 'http://127.0.0.1:1/mcp/a', headers: { Authorization: masked } },
    'gatehouse-b': { url: 'http://127.0.0.1:1/mcp/b', headers: { Authorization: masked } },
  });
});

test('refuses a malformed token or a duplicate key rather than printing a broken config', async () => {
  const environment = { homedir: '/nonexistent', platform: 'linux' as const, env: {} };
  const entry = { key: 'gatehouse', url: 'http://127.0.0.1:1/mcp' };
  await assert.rejects(writer.write({ clientName: 'x', entries: [entry], token: 'secret', gatehouseCommand }, environment), /token is malformed/);
  await assert.rejects(writer.write({ clientName: 'x', entries: [entry, entry], token: SAMPLE_TOKEN, gatehouseCommand }, environment), /twice/);
});
