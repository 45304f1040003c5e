// A policy pushed by MDM while `gatehouse serve` runs: a valid one is applied on the same port and
// recorded as policy.changed; a broken one is recorded as policy.rejected and the running policy
// stays in force.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { AuditStore } from '../../../main/core/audit/store/audit-store.js';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { runCli, startCli } from './cli-runner.js';

let dir: string;
let a: TwinServer;
let b: TwinServer;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gh-policy-reload-'));
  [a, b] = await Promise.all([startTwin('A'), startTwin('B')]);
});
after(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await rm(dir, { recursive: true, force: true });
});

const policyWith = (servers: Array<{ id: string; url: string }>) => JSON.stringify({ version: 1, servers: servers.map((s) => ({ ...s, auth: { mode: 'none' } })) });

async function toolNames(url: string, token: string): Promise<string[]> {
  const client = new Client({ name: 'reload-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  try {
    return (await client.listTools()).tools.map((t) => t.name).sort();
  } finally {
    await client.close();
  }
}

test('a new policy is applied on the same port; a broken one is refused and the running one stays', async () => {
  const policyFile = path.join(dir, 'policy.json');
  const dataDir = path.join(dir, 'data');
  await writeFile(policyFile, policyWith([{ id: 'alpha', url: a.url }]));
  const connected = await runCli(['connect', 'generic', '--name', 'reload', '--print', '--json', '--data-dir', dataDir, '--policy', policyFile]);
  assert.equal(connected.code, 0, connected.stderr);
  const token = (JSON.parse(connected.stdout) as { headers: { Authorization: string } }).headers.Authorization.replace('Bearer ', '');
  const serve = await startCli(['serve', '--port', '0', '--prompts', 'none', '--data-dir', dataDir, '--policy', policyFile], /listening on /, { GATEHOUSE_POLICY_CHECK_MS: '100' });
  try {
    const url = /listening on (\S+)/.exec(serve.line)![1]!;
    assert.deepEqual(await toolNames(url, token), ['alpha__get_item', 'alpha__search']);

    await writeFile(policyFile, '{ "version": 1, "servers": [ { "id": "Not An Id" } ] }');
    await serve.waitFor(/the new policy cannot be used, so the running one stays in force/);
    assert.deepEqual(await toolNames(url, token), ['alpha__get_item', 'alpha__search'], 'the running policy stays in force');

    await writeFile(policyFile, policyWith([{ id: 'alpha', url: a.url }, { id: 'beta', url: b.url }]));
    await serve.waitFor(/listening on [\s\S]*listening on /);
    assert.match(serve.output().split('listening on ').at(-1)!, new RegExp(`^${url.replace(/[/.]/g, '\\$&')}`), 'the same endpoint, so IDEs need no new config');
    assert.deepEqual(await toolNames(url, token), ['alpha__get_item', 'alpha__search', 'beta__get_item', 'beta__search']);
  } finally {
    await serve.stop();
  }
  const store = AuditStore.open(path.join(dataDir, 'audit.db'), { readonly: true });
  try {
    const types = store.after(0, 10_000).map((e) => e.type).filter((t) => t.startsWith('policy.'));
    assert.deepEqual(types, ['policy.loaded', 'policy.rejected', 'policy.changed', 'policy.loaded']);
  } finally {
    store.close();
  }
});
