// `gatehouse tools list` and `approve` against a running `gatehouse serve`, sharing the pins file:
// a tool changed upstream is quarantined, shown in full, and back once approved from another process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startChanging, type ChangingServer } from '../../fixtures/servers/changing.js';
import { runCli, startCli, type LongRunning } from './cli-runner.js';

describe('gatehouse tools', () => {
  let dir: string;
  let server: ChangingServer;
  let serve: LongRunning | undefined;
  let client: Client | undefined;

  before(async () => {
    [dir, server] = await Promise.all([mkdtemp(path.join(tmpdir(), 'gh-cli-tools-')), startChanging()]);
  });
  after(async () => {
    await client?.close();
    await serve?.stop();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a tool changed upstream waits in `tools list` until `tools approve`, then the IDE has it again', async () => {
    const policy = path.join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ version: 1, servers: [{ id: 'tools', url: server.url, auth: { mode: 'none' } }] }));
    const common = ['--policy', policy, '--data-dir', path.join(dir, 'data')];
    const env = { HOME: dir, GATEHOUSE_POLICY: '' };
    const printed = await runCli(['connect', 'generic', '--name', 'ide', '--print', '--json', ...common], env);
    const token = (JSON.parse(printed.stdout) as { headers: { Authorization: string } }).headers.Authorization.replace('Bearer ', '');
    serve = await startCli(['serve', '--port', '0', ...common], /listening on http:\/\/127\.0\.0\.1:\d+\/mcp/, env);
    const url = /http:\/\/127\.0\.0\.1:\d+\/mcp/.exec(serve.line)![0];
    client = new Client({ name: 'cli-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ['tools__alpha']);
    assert.match((await runCli(['tools', 'list', ...common], env)).stdout, /No tool is waiting for approval/);

    const changed = new Promise<void>((resolve) => client!.setNotificationHandler('notifications/tools/list_changed', () => resolve()));
    server.changeDescription('alpha', 'The first tool, now improved');
    await changed;
    assert.deepEqual((await client.listTools()).tools, []);

    const waiting = await runCli(['tools', 'list', ...common], env);
    assert.equal(waiting.code, 0, waiting.stderr);
    assert.match(waiting.stdout, /^tools \/ alpha: changed/m);
    assert.match(waiting.stdout, /changed description/);
    assert.match(waiting.stdout, /description now: The first tool, now improved/);
    const hash = /--hash ([0-9a-f]{64})/.exec(waiting.stdout)![1]!;

    const approved = await runCli(['tools', 'approve', 'tools', 'alpha', '--hash', hash, ...common], env);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /Approved tool 'alpha' of server 'tools'/);
    // The broker reads the pins file again at most a quarter of a second after it changed.
    const deadline = Date.now() + 10_000;
    let names: string[] = [];
    while (Date.now() < deadline && (names = (await client.listTools()).tools.map((t) => t.name)).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(names, ['tools__alpha']);
    assert.equal((await client.callTool({ name: 'tools__alpha', arguments: {} })).isError, undefined);
  });
});
