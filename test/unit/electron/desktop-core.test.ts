// The desktop app's core, started in plain Node with fake faces for its ports: it is the broker of
// `gatehouse serve` (endpoint file, audit trail), answers the UI calls the windows and tray make,
// puts prompts up through the prompt window port, and stops cleanly (endpoint gone, audit flushed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { auditFile } from '../../../main/core/audit/audit-file.js';
import { AuditStore } from '../../../main/core/audit/store/audit-store.js';
import { ENDPOINT_FILE_NAME } from '../../../main/core/data-dir.js';
import { silentLogger } from '../../../main/core/ports/logger.js';
import { desktopContext } from '../../../main/electron/desktop-context.js';
import { startDesktopCore, type DesktopPorts } from '../../../main/electron/desktop-core.js';

function fakePorts() {
  const seen = { prompts: 0, opened: [] as string[] };
  const ports: DesktopPorts = {
    opener: { open: async (url) => void seen.opened.push(url.href) },
    showPrompts: () => void seen.prompts++,
    notify: () => undefined,
    askSignIn: () => undefined,
    gatehouseCommand: { command: '/Applications/Gatehouse.app/Contents/MacOS/Gatehouse', args: [] },
  };
  return { seen, ports };
}

test('starts the broker with the policy, answers UI calls, and stops with the endpoint removed and the audit trail flushed', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-desktop-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const policyPath = path.join(dir, 'policy.json');
  await writeFile(policyPath, JSON.stringify({ version: 1, servers: [], desktop: { launchAtLogin: true } }));
  const dataDir = path.join(dir, 'data');
  const { ports } = fakePorts();

  const core = await startDesktopCore(desktopContext(silentLogger, {}), { policyPath, dataDir, port: 0, insecureDev: false }, ports);
  let stopped = false;
  t.after(() => (stopped ? undefined : core.stop()));
  assert.equal(core.policy.desktop.launchAtLogin, true);
  assert.ok(core.policySource.endsWith(policyPath), core.policySource);
  assert.match(core.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  assert.ok(existsSync(path.join(dataDir, ENDPOINT_FILE_NAME)));

  const dashboard = await core.ui.call('dashboard.get', {});
  assert.ok(dashboard.ok);
  assert.equal(dashboard.value.endpoint, core.url);
  assert.equal(dashboard.value.identity.configured, false);
  assert.deepEqual(await core.ui.call('tools.setPaused', { paused: true }), { ok: true, value: { paused: true } });

  await core.stop();
  stopped = true;
  assert.ok(!existsSync(path.join(dataDir, ENDPOINT_FILE_NAME)), 'the endpoint file is gone, so IDEs and `gatehouse stdio` see Gatehouse stopped');
  const store = AuditStore.open(auditFile(dataDir));
  try {
    const types = store.page({}).events.map((e) => e.type);
    assert.ok(types.includes('policy.loaded'), types.join(', '));
  } finally {
    store.close();
  }
});

test('a policy that cannot be read fails the start with its message, leaving nothing running', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-desktop-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const policyPath = path.join(dir, 'policy.json');
  await writeFile(policyPath, JSON.stringify({ version: 1, servers: [], desktop: { launchAtLogn: true } }));
  await assert.rejects(
    startDesktopCore(desktopContext(silentLogger, {}), { policyPath, dataDir: path.join(dir, 'data'), port: 0, insecureDev: false }, fakePorts().ports),
    /launchAtLogn/,
  );
});
