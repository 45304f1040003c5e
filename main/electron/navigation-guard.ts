// What a Gatehouse window may load and open. A window shows our UI and nothing else: it navigates only
// within app://gatehouse/, opens no windows (an https link goes to the system browser instead),
// embeds no webviews, and is granted no permission (camera, notifications, clipboard...).
import type { Opener } from '../core/ports/opener.js';
import type { Logger } from '../core/ports/logger.js';
import { isAppUrl } from './app-origin.js';
import { openableUrl } from './opener.js';

/** The parts of an Electron event the guard uses. */
export interface Preventable {
  preventDefault(): void;
}

/** The parts of a WebContents the guard uses. */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: Preventable, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: Preventable, url: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: Preventable & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  on(event: 'page-title-updated', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface GuardOptions {
  /** Where an https link the user followed is opened (the system browser). */
  opener: Opener;
  /** Development only: plain-http loopback links may be opened too. */
  allowLoopbackHttp: boolean;
  logger: Logger;
}

/** True when a window may navigate to `url`: only to our own UI. */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}

/** Applies the guard to a window's WebContents (every one, from app's web-contents-created). */
export function guardWebContents(contents: GuardedContents, options: GuardOptions): void {
  const elsewhere = (url: string) => {
    const external = openableUrl(url, options.allowLoopbackHttp);
    if (external === undefined) {
      options.logger.log('warn', 'a window tried to load a URL that is not ours; refused', { scheme: schemeOf(url) });
      return;
    }
    void options.opener.open(external).catch((error: unknown) => options.logger.log('warn', 'could not open a link in the browser', { error: String(error) }));
  };
  contents.setWindowOpenHandler(({ url }) => {
    elsewhere(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (mayNavigate(url)) return;
    event.preventDefault();
    elsewhere(url);
  });
  // Sub-frames (which the CSP forbids anyway) and redirects never leave our UI either.
  contents.on('will-frame-navigate', (event) => {
    if (!mayNavigate(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The window's title is Gatehouse's, not whatever the page says.
  contents.on('page-title-updated', (event) => event.preventDefault());
}

/** The parts of a Session the guard uses. */
export interface GuardedSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

/** Our UI needs no permission: every request and check is refused. */
export function denyAllPermissions(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

function schemeOf(url: string): string {
  return URL.canParse(url) ? new URL(url).protocol : 'invalid';
}
