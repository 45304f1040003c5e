import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desktopGatehouseCommand, parseDesktopArgs } from '../../../main/electron/desktop-options.js';

test('unpackaged, the development switches are honoured', () => {
  assert.deepEqual(parseDesktopArgs(['--policy', 'p.json', '--data-dir', '/tmp/d', '--insecure-dev-issuer'], false), {
    kind: 'app',
    options: { policyPath: 'p.json', dataDir: '/tmp/d', insecureDev: true },
    ignored: [],
  });
  assert.deepEqual(parseDesktopArgs([], false), { kind: 'app', options: { insecureDev: false }, ignored: [] });
});

test('the installed app ignores them (and says so): policy comes from MDM, IdPs are https', () => {
  assert.deepEqual(parseDesktopArgs(['--policy', '/tmp/mine.json', '--insecure-dev-issuer', '--data-dir=/tmp/x'], true), {
    kind: 'app',
    options: { insecureDev: false },
    ignored: ['--policy', '--data-dir', '--insecure-dev-issuer'],
  });
});

test('switches Chromium or the OS add are no error', () => {
  assert.equal(parseDesktopArgs(['--no-sandbox', '-psn_0_12345', '--enable-logging'], true).kind, 'app');
});

test('stdio mode for stdio-only IDEs, with its client and servers', () => {
  assert.deepEqual(parseDesktopArgs(['stdio', '--client', 'claude', '--server', 'docs'], true), { kind: 'stdio', client: 'claude', server: ['docs'] });
  assert.deepEqual(parseDesktopArgs(['stdio'], true), { kind: 'stdio', client: undefined, server: [] });
});

test('a stdio IDE launches the app itself: the executable, plus the main script when unpackaged', () => {
  assert.deepEqual(desktopGatehouseCommand('/Applications/Gatehouse.app/Contents/MacOS/Gatehouse', ['/Applications/Gatehouse.app/Contents/MacOS/Gatehouse'], true), {
    command: '/Applications/Gatehouse.app/Contents/MacOS/Gatehouse',
    args: [],
  });
  assert.deepEqual(desktopGatehouseCommand('/repo/node_modules/electron/dist/electron', ['/repo/node_modules/electron/dist/electron', '/repo/dist/main/electron/main.js'], false), {
    command: '/repo/node_modules/electron/dist/electron',
    args: ['/repo/dist/main/electron/main.js'],
  });
});
