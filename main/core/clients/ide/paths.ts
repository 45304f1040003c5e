// Per-OS locations shared by several IDE writers.
import type { PlatformPath } from 'node:path';
import { pathFor } from '../../data-dir.js';
import type { IdeEnvironment } from './types.js';

export function idePath(environment: IdeEnvironment): PlatformPath {
  return pathFor(environment.platform);
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value : undefined;

/**
 * Electron's `app.getPath('appData')`, under which Electron apps (VS Code, Claude Desktop) keep
 * their settings: %APPDATA% on Windows, ~/Library/Application Support on macOS, and
 * $XDG_CONFIG_HOME (else ~/.config) elsewhere.
 */
export function electronAppDataDir(environment: IdeEnvironment): string {
  const p = idePath(environment);
  const { env, homedir } = environment;
  switch (environment.platform) {
    case 'win32':
      return nonEmpty(env.APPDATA) ?? p.join(homedir, 'AppData', 'Roaming');
    case 'darwin':
      return p.join(homedir, 'Library', 'Application Support');
    default: {
      const xdg = nonEmpty(env.XDG_CONFIG_HOME);
      return xdg !== undefined && p.isAbsolute(xdg) ? xdg : p.join(homedir, '.config');
    }
  }
}
