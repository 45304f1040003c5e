import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AUTOSTART_FILE_NAME, applyXdgAutostart, autostartEntry, loginItemPlan, type LoginItemInput } from '../../../main/electron/login-item.js';

const base: LoginItemInput = { launchAtLogin: true, platform: 'darwin', packaged: true, executable: '/Applications/Gatehouse.app/Contents/MacOS/Gatehouse', env: {}, homedir: '/home/alice' };

test('macOS and Windows: the OS login item, on or off as policy says', () => {
  assert.deepEqual(loginItemPlan(base), { kind: 'login-item', openAtLogin: true });
  assert.deepEqual(loginItemPlan({ ...base, platform: 'win32', launchAtLogin: false }), { kind: 'login-item', openAtLogin: false });
});

test('an unpackaged app never registers itself', () => {
  assert.equal(loginItemPlan({ ...base, packaged: false }).kind, 'skip');
  assert.equal(loginItemPlan({ ...base, platform: 'linux', packaged: false }).kind, 'skip');
});

test('Linux: an XDG autostart entry in $XDG_CONFIG_HOME (or ~/.config), starting the AppImage rather than its mount', () => {
  assert.deepEqual(loginItemPlan({ ...base, platform: 'linux', executable: '/opt/Gatehouse/gatehouse-desktop' }), {
    kind: 'xdg-autostart',
    enabled: true,
    file: path.join('/home/alice/.config/autostart', AUTOSTART_FILE_NAME),
    exec: '/opt/Gatehouse/gatehouse-desktop',
  });
  const appImage = loginItemPlan({ ...base, platform: 'linux', executable: '/tmp/.mount_GatehoXYZ/gatehouse-desktop', env: { APPIMAGE: '/home/alice/Apps/Gatehouse.AppImage', XDG_CONFIG_HOME: '/home/alice/cfg' } });
  assert.deepEqual(appImage, { kind: 'xdg-autostart', enabled: true, file: path.join('/home/alice/cfg/autostart', AUTOSTART_FILE_NAME), exec: '/home/alice/Apps/Gatehouse.AppImage' });
  assert.equal((loginItemPlan({ ...base, platform: 'linux', env: { XDG_CONFIG_HOME: 'relative/cfg' } }) as { file: string }).file, path.join('/home/alice/.config/autostart', AUTOSTART_FILE_NAME));
});

test('the entry quotes and escapes Exec as the Desktop Entry Specification says', () => {
  assert.match(autostartEntry('/opt/Gatehouse/gatehouse-desktop'), /^Exec="\/opt\/Gatehouse\/gatehouse-desktop"$/m);
  assert.match(autostartEntry('/home/al "x" $HOME/100%/a\\b/gate'), /^Exec="\/home\/al \\\\"x\\\\" \\\\\$HOME\/100%%\/a\\\\\\\\b\/gate"$/m);
  assert.match(autostartEntry('/x'), /^\[Desktop Entry\]\nType=Application\nName=Gatehouse\n/);
});

test('writes, keeps and removes its own entry, and never touches an entry it did not write', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-autostart-'));
  try {
    const file = path.join(dir, 'autostart', AUTOSTART_FILE_NAME);
    const plan = { kind: 'xdg-autostart' as const, enabled: true, file, exec: '/opt/Gatehouse/gatehouse-desktop' };
    assert.equal(await applyXdgAutostart(plan), 'written');
    assert.equal(await readFile(file, 'utf8'), autostartEntry(plan.exec));
    assert.equal((await stat(file)).mode & 0o777, 0o644);
    assert.equal(await applyXdgAutostart(plan), 'unchanged');
    assert.equal(await applyXdgAutostart({ ...plan, exec: '/usr/bin/gatehouse-desktop' }), 'written');
    assert.equal(await applyXdgAutostart({ ...plan, enabled: false }), 'removed');
    await assert.rejects(stat(file));
    assert.equal(await applyXdgAutostart({ ...plan, enabled: false }), 'unchanged');

    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '[Desktop Entry]\nExec=/usr/bin/my-own-wrapper\n');
    assert.equal(await applyXdgAutostart({ ...plan, enabled: false }), 'unchanged');
    assert.equal(await applyXdgAutostart(plan), 'unchanged');
    assert.equal(await readFile(file, 'utf8'), '[Desktop Entry]\nExec=/usr/bin/my-own-wrapper\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
