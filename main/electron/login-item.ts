// Launch at login, as policy's desktop.launchAtLogin says. macOS and Windows keep login items
// themselves (app.setLoginItemSettings); on Linux the freedesktop way is an autostart entry in
// $XDG_CONFIG_HOME/autostart. An unpackaged (development) app never registers itself: the entry
// would start a bare Electron.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type LoginItemPlan =
  | { kind: 'login-item'; openAtLogin: boolean }
  | { kind: 'xdg-autostart'; enabled: boolean; file: string; exec: string }
  | { kind: 'skip'; reason: string };

export interface LoginItemInput {
  launchAtLogin: boolean;
  platform: NodeJS.Platform;
  packaged: boolean;
  /** The app's executable; for an AppImage, the AppImage itself ($APPIMAGE), not its mount point. */
  executable: string;
  env: NodeJS.ProcessEnv;
  homedir: string;
}

export const AUTOSTART_FILE_NAME = 'gatehouse-desktop.desktop';
/** Marks the entry as ours, so turning the setting off never removes one the user wrote. */
const MARKER = 'X-Gatehouse-Managed=true';

export function loginItemPlan(input: LoginItemInput): LoginItemPlan {
  if (!input.packaged) return { kind: 'skip', reason: 'the app runs unpackaged (development)' };
  if (input.platform === 'darwin' || input.platform === 'win32') return { kind: 'login-item', openAtLogin: input.launchAtLogin };
  const configHome = input.env['XDG_CONFIG_HOME'] && path.isAbsolute(input.env['XDG_CONFIG_HOME']) ? input.env['XDG_CONFIG_HOME'] : path.join(input.homedir, '.config');
  return {
    kind: 'xdg-autostart',
    enabled: input.launchAtLogin,
    file: path.join(configHome, 'autostart', AUTOSTART_FILE_NAME),
    exec: input.env['APPIMAGE'] ?? input.executable,
  };
}

/** The autostart entry (Desktop Entry Specification 1.5: Exec quoted and escaped). */
export function autostartEntry(exec: string): string {
  const quoted = `"${exec.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Gatehouse',
    'Comment=The enterprise MCP broker (started at login by your organisation\'s policy)',
    // In an Exec value, a backslash is escaped once more by the general string rules, and % starts a field code.
    `Exec=${quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    MARKER,
    '',
  ].join('\n');
}

/** Writes or removes the Linux autostart entry; leaves alone an entry of that name we did not write. */
export async function applyXdgAutostart(plan: Extract<LoginItemPlan, { kind: 'xdg-autostart' }>): Promise<'written' | 'removed' | 'unchanged'> {
  const existing = await readFile(plan.file, 'utf8').catch(() => undefined);
  if (existing !== undefined && !existing.includes(MARKER)) return 'unchanged';
  if (!plan.enabled) {
    if (existing === undefined) return 'unchanged';
    await rm(plan.file, { force: true });
    return 'removed';
  }
  const wanted = autostartEntry(plan.exec);
  if (existing === wanted) return 'unchanged';
  await mkdir(path.dirname(plan.file), { recursive: true });
  await writeFile(plan.file, wanted, { mode: 0o644 });
  return 'written';
}
