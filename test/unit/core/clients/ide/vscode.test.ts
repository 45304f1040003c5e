import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { BACKUP_SUFFIX, IDE_WRITERS, type JsonObject } from '../../../../../main/core/clients/ide/index.js';
import { SAMPLE_TOKEN, tempDir } from '../temp-dirs.js';

const USER_FILE = `// VS Code MCP servers (user)
{
  "inputs": [
    { "type": "promptString", "id": "key", "description": "API key", "password": true }, // used by "docs"
  ],
  /* servers */
  "servers": {
    "docs": { "type": "http", "url": "https://docs.example.com/mcp//v1", "headers": { "X-Key": "\${input:key}" } },
  },
}
`;

test('accepts comments and trailing commas in mcp.json, keeps inputs and servers, backs up the commented original', async () => {
  const homedir = await tempDir();
  const environment = { homedir, platform: 'linux' as const, env: { XDG_CONFIG_HOME: path.join(homedir, 'xdg') } };
  const file = path.join(homedir, 'xdg', 'Code', 'User', 'mcp.json');
  assert.equal(IDE_WRITERS.vscode.configPath(environment), file);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, USER_FILE);

  await IDE_WRITERS.vscode.check(environment);
  const result = await IDE_WRITERS.vscode.write(
    {
      clientName: 'vscode',
      entries: [{ key: 'gatehouse', url: 'http://127.0.0.1:4319/mcp' }],
      token: SAMPLE_TOKEN,
      gatehouseCommand: { command: 'gatehouse', args: [] },
    },
    environment,
  );
  assert.equal(result.backupPath, file + BACKUP_SUFFIX);
  assert.equal(await readFile(file + BACKUP_SUFFIX, 'utf8'), USER_FILE);

  const written = JSON.parse(await readFile(file, 'utf8')) as JsonObject;
  assert.deepEqual(written.inputs, [{ type: 'promptString', id: 'key', description: 'API key', password: true }]);
  assert.deepEqual(written.servers, {
    docs: { type: 'http', url: 'https://docs.example.com/mcp//v1', headers: { 'X-Key': '${input:key}' } },
    gatehouse: { type: 'http', url: 'http://127.0.0.1:4319/mcp', headers: { Authorization: `Bearer ${SAMPLE_TOKEN}` } },
  });
});

test('the strict writers do not accept comments', async () => {
  const homedir = await tempDir();
  const file = path.join(homedir, '.cursor', 'mcp.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '// note\n{}');
  await assert.rejects(IDE_WRITERS.cursor.check({ homedir, platform: 'linux', env: {} }), /not valid JSON/);
});
