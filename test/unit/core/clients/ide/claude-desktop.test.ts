import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { IDE_WRITERS, type IdeWriterInput, type JsonObject } from '../../../../../main/core/clients/ide/index.js';
import { SAMPLE_TOKEN, tempDir } from '../temp-dirs.js';

const writer = IDE_WRITERS['claude-desktop'];
const command = { command: '/opt/node/bin/node', args: ['/opt/gatehouse/bin/gatehouse.js'] };

function input(clientName: string, entries: IdeWriterInput['entries']): IdeWriterInput {
  return { clientName, entries, token: SAMPLE_TOKEN, gatehouseCommand: command };
}

test('knows claude_desktop_config.json on each OS', () => {
  assert.equal(
    writer.configPath({ homedir: '/Users/u', platform: 'darwin', env: {} }),
    '/Users/u/Library/Application Support/Claude/claude_desktop_config.json',
  );
  assert.equal(
    writer.configPath({ homedir: 'C:\\Users\\u', platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' } }),
    'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
  );
  assert.equal(writer.configPath({ homedir: '/home/u', platform: 'linux', env: {} }), '/home/u/.config/Claude/claude_desktop_config.json');
});

test('writes stdio shim entries without the token and hands the token back for the data dir', async () => {
  const environment = { homedir: await tempDir(), platform: 'linux' as const, env: {} };
  const file = writer.configPath(environment)!;
  const result = await writer.write(
    input('claude', [
      { key: 'gatehouse-github', url: 'http://127.0.0.1:4319/mcp/github', serverId: 'github' },
      { key: 'gatehouse-jira', url: 'http://127.0.0.1:4319/mcp/jira', serverId: 'jira' },
    ]),
    environment,
  );
  const text = await readFile(file, 'utf8');
  assert.ok(!text.includes(SAMPLE_TOKEN));
  assert.equal(result.stdioToken, SAMPLE_TOKEN);
  const shim = ['/opt/gatehouse/bin/gatehouse.js', 'stdio', '--client', 'claude'];
  assert.deepEqual(JSON.parse(text), {
    mcpServers: {
      'gatehouse-github': { command: '/opt/node/bin/node', args: [...shim, '--server', 'github'] },
      'gatehouse-jira': { command: '/opt/node/bin/node', args: [...shim, '--server', 'jira'] },
    },
  });
  assert.deepEqual(result.written, JSON.parse(text).mcpServers);
});

test('replaces this client\'s stale entries but keeps another client\'s and foreign servers', async () => {
  const environment = { homedir: await tempDir(), platform: 'linux' as const, env: {} };
  const file = writer.configPath(environment)!;
  await mkdir(path.dirname(file), { recursive: true });
  const other = { command: 'gatehouse', args: ['stdio', '--client', 'other', '--server', 'wiki'] };
  await writeFile(
    file,
    JSON.stringify({
      globalShortcut: 'Ctrl+Space',
      mcpServers: { filesystem: { command: 'npx', args: ['fs'] }, 'gatehouse-wiki': other },
    }),
  );
  await writer.write(input('claude', [{ key: 'gatehouse-github', url: 'http://127.0.0.1:1/mcp/github', serverId: 'github' }]), environment);
  const result = await writer.write(input('claude', [{ key: 'gatehouse', url: 'http://127.0.0.1:1/mcp' }]), environment);
  assert.deepEqual(result.removed, ['gatehouse-github']);
  const written = JSON.parse(await readFile(file, 'utf8')) as JsonObject;
  assert.equal(written.globalShortcut, 'Ctrl+Space');
  assert.deepEqual(written.mcpServers, {
    filesystem: { command: 'npx', args: ['fs'] },
    'gatehouse-wiki': other,
    gatehouse: { command: '/opt/node/bin/node', args: ['/opt/gatehouse/bin/gatehouse.js', 'stdio', '--client', 'claude'] },
  });
});
