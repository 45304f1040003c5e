import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { runCli, startCli, type LongRunning } from './cli-runner.js';

async function connectClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'cli-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

describe('gatehouse policy', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(tmpdir(), 'gh-cli-policy-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  test('validate accepts a valid policy and exits 0', async () => {
    const file = path.join(dir, 'ok.json');
    await writeFile(file, JSON.stringify({ version: 1, servers: [{ id: 'everything', url: 'http://127.0.0.1:3001/mcp', auth: { mode: 'none' } }] }));
    const r = await runCli(['policy', 'validate', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid/);
  });

  test('validate prints every error with its JSON path and exits non-zero', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ version: 1, servers: [{ id: 'Bad_Id', url: 'http://example.com/mcp', auth: { mode: 'none' } }], colour: 'blue' }));
    const r = await runCli(['policy', 'validate', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\$\.servers\[0\]\.id/);
    assert.match(r.stderr, /\$\.servers\[0\]\.url/);
    assert.match(r.stderr, /colour/);
  });

  test('schema prints a JSON Schema generated from the policy schema', async () => {
    const r = await runCli(['policy', 'schema']);
    assert.equal(r.code, 0, r.stderr);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    assert.ok(schema.properties['servers'] && schema.properties['version']);
  });
});

describe('gatehouse serve, connect and clients', () => {
  let dir: string;
  let twin: TwinServer;
  let serve: LongRunning | undefined;
  let policyFile: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gh-cli-serve-'));
    twin = await startTwin('A');
    policyFile = path.join(dir, 'policy.json');
    await writeFile(policyFile, JSON.stringify({ version: 1, servers: [{ id: 'alpha', url: twin.url, auth: { mode: 'none' } }] }));
  });
  after(async () => {
    await serve?.stop();
    await twin.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('serve prints its endpoint, publishes the port in a user-only file, and an IDE connected with connect generic lists and calls tools', async () => {
    const dataDir = path.join(dir, 'data');
    const env = { HOME: dir };
    const printed = await runCli(['connect', 'generic', '--name', 'ide', '--print', '--json', '--data-dir', dataDir, '--policy', policyFile, '--port', '0'], env);
    assert.equal(printed.code, 0, printed.stderr);
    const config = JSON.parse(printed.stdout) as { url: string; headers: { Authorization: string } };
    const token = config.headers.Authorization.replace('Bearer ', '');

    serve = await startCli(['serve', '--policy', policyFile, '--port', '0', '--data-dir', dataDir], /listening on http:\/\/127\.0\.0\.1:\d+\/mcp/, env);
    const url = /http:\/\/127\.0\.0\.1:\d+\/mcp/.exec(serve.line)![0];
    const endpointFile = path.join(dataDir, 'endpoint.json');
    assert.equal((await stat(endpointFile)).mode & 0o777, 0o600);
    assert.equal(JSON.parse(await readFile(endpointFile, 'utf8')).url, url);

    const client = await connectClient(url, token);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['alpha__get_item', 'alpha__search']);
    const result = await client.callTool({ name: 'alpha__search', arguments: { query: 'q' } });
    assert.deepEqual(result.content, [{ type: 'text', text: '[A] results for "q"' }]);
    await client.close();

    const clientsFile = await readFile(path.join(dataDir, 'clients.json'), 'utf8');
    assert.ok(!clientsFile.includes(token), 'the token is stored hashed, never in clear');
    const list = await runCli(['clients', 'list', '--data-dir', dataDir], env);
    assert.match(list.stdout, /^ide\t/m);

    const revoked = await runCli(['clients', 'revoke', 'ide', '--data-dir', dataDir], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    await assert.rejects(connectClient(url, token), /401|Unauthorized/);

    // A stdio-only IDE (Claude Desktop) launches the shim its config names, which reaches this broker.
    const desktop = await runCli(['connect', 'claude-desktop', '--name', 'desktop', '--data-dir', dataDir, '--policy', policyFile], env);
    assert.equal(desktop.code, 0, desktop.stderr);
    const desktopConfig = JSON.parse(await readFile(path.join(dir, '.config', 'Claude', 'claude_desktop_config.json'), 'utf8')) as { mcpServers: { gatehouse: { command: string; args: string[] } } };
    const entry = desktopConfig.mcpServers.gatehouse;
    assert.ok(!JSON.stringify(desktopConfig).includes('gh_'), 'no token in the stdio client config');
    const stdioClient = new Client({ name: 'desktop-test', version: '1' });
    await stdioClient.connect(new StdioClientTransport({ command: entry.command, args: [...entry.args, '--data-dir', dataDir], cwd: path.join(import.meta.dirname, '..', '..', '..'), env: { ...process.env, ...env } as Record<string, string>, stderr: 'pipe' }));
    const viaStdio = await stdioClient.callTool({ name: 'alpha__get_item', arguments: { id: '7' } });
    assert.deepEqual(viaStdio.content, [{ type: 'text', text: '[A] item 7' }]);
    await stdioClient.close();

    const port = Number(/:(\d+)\/mcp/.exec(url)![1]);
    const second = await runCli(['serve', '--policy', policyFile, '--port', String(port), '--data-dir', path.join(dir, 'other')], env);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /GATEHOUSE_PORT_IN_USE/);
  });

  test('connect cursor writes one entry per chosen server into the IDE config', async () => {
    const dataDir = path.join(dir, 'data2');
    const r = await runCli(['connect', 'cursor', '--server', 'alpha', '--data-dir', dataDir, '--policy', policyFile, '--port', '4999'], { HOME: dir });
    assert.equal(r.code, 0, r.stderr);
    const written = JSON.parse(await readFile(path.join(dir, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers: Record<string, { url: string }> };
    assert.deepEqual(Object.keys(written.mcpServers), ['gatehouse-alpha']);
    assert.equal(written.mcpServers['gatehouse-alpha']!.url, 'http://127.0.0.1:4999/mcp/alpha');
    assert.ok(!r.stdout.includes(JSON.stringify(written).match(/gh_[A-Za-z0-9_-]{20,}/)![0]), 'the token is never printed');
    const unknown = await runCli(['connect', 'cursor', '--server', 'nope', '--data-dir', dataDir, '--policy', policyFile], { HOME: dir });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /GATEHOUSE_SERVER_UNKNOWN/);
  });
});

describe('gatehouse demo', () => {
  test('starts the bundled servers and a demo client that can list and call tools', async () => {
    const demo = await startCli(['demo', '--as', 'sre'], /^READY /);
    try {
      const { url, token } = JSON.parse(demo.line.slice('READY '.length)) as { url: string; token: string };
      const client = await connectClient(url, token);
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      assert.ok(names.includes('incidents__list_incidents'), names.join());
      assert.ok(names.some((n) => n.startsWith('docs__')), names.join());
      const result = await client.callTool({ name: 'incidents__list_incidents', arguments: {} });
      assert.ok(!result.isError);
      await client.close();
    } finally {
      await demo.stop();
    }
  });

  test('shows each demo role its own tools, and nothing before sign-in', async () => {
    const dev = await startCli(['demo', '--as', 'dev'], /^READY /);
    try {
      const { url, token } = JSON.parse(dev.line.slice('READY '.length)) as { url: string; token: string };
      const client = await connectClient(url, token);
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('incidents__list_incidents'), names.join());
      assert.ok(!names.includes('incidents__page_oncall'), 'a developer may not page on-call');
      await assert.rejects(client.callTool({ name: 'incidents__page_oncall', arguments: { incidentId: 'INC-1', reason: 'x' } }), /GATEHOUSE_TOOL_NOT_ALLOWED.*incidents\.write/);
      await client.callTool({ name: 'incidents__list_incidents', arguments: {} });
      await client.close();
      // The live audit trail: the refusal and the call reach the terminal as they join the chain (within a second).
      await dev.waitFor(/tool\.call\s+allowed.*demo → incidents\/list_incidents/, 5_000);
      const lines = dev.output().split('\n').filter((line) => line.startsWith('audit '));
      assert.ok(lines.some((line) => /tool\.call\s+denied.*demo → incidents\/page_oncall\s+GATEHOUSE_TOOL_NOT_ALLOWED/.test(line)), lines.join('\n'));
      assert.ok(lines.some((line) => /tool\.call\s+allowed.*demo → incidents\/list_incidents/.test(line)), lines.join('\n'));
      assert.ok(lines.some((line) => /auth\.sign_in/.test(line)), lines.join('\n'));
    } finally {
      await dev.stop();
    }
    const nobody = await startCli(['demo', '--no-browser'], /^READY /);
    try {
      const { url, token } = JSON.parse(nobody.line.slice('READY '.length)) as { url: string; token: string };
      const client = await connectClient(url, token);
      assert.deepEqual((await client.listTools()).tools, []);
      await assert.rejects(client.callTool({ name: 'incidents__list_incidents', arguments: {} }), /GATEHOUSE_SIGN_IN_REQUIRED/);
      await client.close();
    } finally {
      await nobody.stop();
    }
  });
});
