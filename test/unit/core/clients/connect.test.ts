import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { isGatehouseError } from '../../../../common/errors.js';
import { buildMcpEntries, CLIENT_KINDS, connectClient, type ConnectClientOptions } from '../../../../main/core/clients/connect.js';
import type { JsonObject } from '../../../../main/core/clients/ide/index.js';
import { ClientRegistry } from '../../../../main/core/clients/registry.js';
import { readStdioToken, stdioTokenPath } from '../../../../main/core/clients/stdio-token.js';
import { modeOf, posixModes, tempDir } from './temp-dirs.js';

async function setup(overrides: Partial<ConnectClientOptions> = {}): Promise<ConnectClientOptions & { registry: ClientRegistry }> {
  const root = await tempDir();
  const registry = new ClientRegistry({ dataDir: path.join(root, 'data') });
  return {
    kind: 'cursor',
    serverIds: [],
    endpointBaseUrl: 'http://127.0.0.1:4319',
    registry,
    gatehouseCommand: { command: '/usr/local/bin/gatehouse', args: [] },
    homedir: path.join(root, 'home'),
    platform: 'linux',
    env: {},
    ...overrides,
  };
}

const readJson = async (file: string): Promise<JsonObject> => JSON.parse(await readFile(file, 'utf8')) as JsonObject;

/** The token an HTTP IDE would present, read back from its config file. */
function bearerOf(entry: JsonObject | undefined): string {
  const headers = entry?.headers as JsonObject;
  return String(headers.Authorization).replace(/^Bearer /, '');
}

describe('connectClient', () => {
  test('lists every supported kind', () => {
    assert.deepEqual([...CLIENT_KINDS], ['cursor', 'vscode', 'claude-code', 'claude-desktop', 'windsurf', 'generic']);
  });

  test('registers the client and writes an aggregate entry whose token the broker accepts', async () => {
    const options = await setup();
    const result = await connectClient(options);
    assert.equal(result.clientName, 'cursor');
    assert.deepEqual(result.entries, [{ key: 'gatehouse', url: 'http://127.0.0.1:4319/mcp' }]);
    const servers = (await readJson(result.config.path!)).mcpServers as JsonObject;
    const broker = new ClientRegistry({ dataDir: options.registry.dataDir });
    assert.equal(broker.authenticate(bearerOf(servers.gatehouse as JsonObject))?.name, 'cursor');
    assert.ok(!JSON.stringify(result).includes(bearerOf(servers.gatehouse as JsonObject)), 'the result carries the token');
  });

  test('writes one entry per chosen server and reconnecting rotates the token', async () => {
    const options = await setup({ kind: 'windsurf', clientName: 'windsurf-work', serverIds: ['github', 'jira', 'github'] });
    const first = await connectClient(options);
    assert.deepEqual(first.entries.map((e) => e.key), ['gatehouse-github', 'gatehouse-jira']);
    const before = (await readJson(first.config.path!)).mcpServers as JsonObject;
    assert.equal((before['gatehouse-jira'] as JsonObject).serverUrl, 'http://127.0.0.1:4319/mcp/jira');
    const oldToken = bearerOf(before['gatehouse-github'] as JsonObject);

    await connectClient(options);
    const after = (await readJson(first.config.path!)).mcpServers as JsonObject;
    const newToken = bearerOf(after['gatehouse-github'] as JsonObject);
    assert.equal(options.registry.authenticate(oldToken), undefined);
    assert.equal(options.registry.authenticate(newToken)?.name, 'windsurf-work');
  });

  test('does not rotate the token when the IDE config must be refused', async () => {
    const options = await setup();
    await connectClient(options);
    const file = path.join(options.homedir, '.cursor', 'mcp.json');
    const token = bearerOf(((await readJson(file)).mcpServers as JsonObject).gatehouse as JsonObject);
    await writeFile(file, '{ broken');
    await assert.rejects(connectClient(options), (error) => isGatehouseError(error) && error.code === 'GATEHOUSE_CLIENT_INVALID');
    assert.equal(options.registry.authenticate(token)?.name, 'cursor');
    assert.equal(await readFile(file, 'utf8'), '{ broken');
  });

  test('claude-desktop stores the shim token privately in the data dir, not in the result', async () => {
    const options = await setup({ kind: 'claude-desktop' });
    const result = await connectClient(options);
    assert.equal(result.stdioTokenPath, stdioTokenPath(options.registry.dataDir, 'claude-desktop'));
    assert.equal('stdioToken' in result.config, false);
    const token = await readStdioToken(options.registry.dataDir, 'claude-desktop');
    assert.equal(options.registry.authenticate(token)?.name, 'claude-desktop');
    if (posixModes) {
      assert.equal(await modeOf(result.stdioTokenPath!), 0o600);
      assert.equal(await modeOf(path.dirname(result.stdioTokenPath!)), 0o700);
    }
    const args = (((await readJson(result.config.path!)).mcpServers as JsonObject).gatehouse as JsonObject).args;
    assert.deepEqual(args, ['stdio', '--client', 'claude-desktop']);
  });

  test('generic returns the config to paste, with the working token, and writes no file', async () => {
    const options = await setup({ kind: 'generic', clientName: 'zed' });
    const result = await connectClient(options);
    assert.equal(result.config.path, undefined);
    assert.equal(options.registry.authenticate(bearerOf(result.config.config))?.name, 'zed');
  });

  test('refuses an unknown kind, listing the supported ones, before registering anything', async () => {
    const options = await setup({ kind: 'emacs' });
    await assert.rejects(connectClient(options), (error) => isGatehouseError(error) && error.code === 'GATEHOUSE_USAGE' && /cursor, vscode/.test(error.message));
    assert.deepEqual(options.registry.list(), []);
  });

  test('refuses a bad client name or server id before registering anything', async () => {
    const bad = await setup({ clientName: 'My IDE' });
    await assert.rejects(connectClient(bad), (error) => isGatehouseError(error) && error.code === 'GATEHOUSE_CLIENT_INVALID');
    const badServer = await setup({ serverIds: ['../etc'] });
    await assert.rejects(connectClient(badServer), (error) => isGatehouseError(error) && error.code === 'GATEHOUSE_USAGE');
    assert.deepEqual(badServer.registry.list(), []);
  });

  test('keeps the user\'s other servers in the IDE file', async () => {
    const options = await setup({ kind: 'claude-code' });
    const file = path.join(options.homedir, '.claude.json');
    await mkdir(options.homedir, { recursive: true });
    await writeFile(file, JSON.stringify({ numStartups: 3, mcpServers: { sentry: { type: 'http', url: 'https://mcp.sentry.dev/mcp' } } }));
    await connectClient(options);
    const written = await readJson(file);
    assert.equal(written.numStartups, 3);
    assert.deepEqual(Object.keys(written.mcpServers as JsonObject), ['sentry', 'gatehouse']);
  });
});

describe('buildMcpEntries', () => {
  test('uses only the origin of the endpoint', () => {
    assert.deepEqual(buildMcpEntries('http://127.0.0.1:4319/anything/', []), [{ key: 'gatehouse', url: 'http://127.0.0.1:4319/mcp' }]);
  });

  test('refuses an endpoint that is not local plain http', () => {
    for (const url of ['https://127.0.0.1:1', 'http://example.com:4319', 'http://0.0.0.0:4319', 'not a url']) {
      assert.throws(() => buildMcpEntries(url, []), (error) => isGatehouseError(error) && error.code === 'GATEHOUSE_USAGE', url);
    }
  });
});
