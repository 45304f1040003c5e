// Where the desktop UI comes from: app://gatehouse/, a custom scheme served only from the built
// renderer (app-protocol.ts). Not file://: every file:// page shares one opaque origin, so neither a
// navigation guard nor an IPC sender check could tell our page from any other file on the disk, a
// CSP 'self' there would allow any local file, and the renderer's absolute paths (/assets/...) would
// resolve to the root of the disk. A standard, secure custom scheme gives the UI an origin of its
// own that only this process can serve, and lets us send the CSP as a response header.
export const APP_SCHEME = 'app';
export const APP_HOST = 'gatehouse';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The views a window opens; the renderer picks what to show from the hash. */
export type AppView = 'dashboard' | 'prompts';

export function appUrl(view: AppView): string {
  return `${APP_ORIGIN}/index.html#/${view}`;
}

/** True when `text` is a URL of our own UI (WHATWG gives custom schemes an opaque "null" origin, so scheme and host are compared). */
export function isAppUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}
