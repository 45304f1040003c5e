// The desktop's Opener: the system browser through shell.openExternal, for https URLs only (plain
// http on loopback in development, for the demo IdP). Anything else (file:, custom schemes that start
// other programs, URLs with credentials that disguise their host) is refused before the shell sees it.
import { isLoopbackHostname } from '../core/policy/server-url.js';
import type { Opener } from '../core/ports/opener.js';

/** The URL to hand to the shell, or undefined when it may not be opened. */
export function openableUrl(text: string, allowLoopbackHttp: boolean): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') return undefined;
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && allowLoopbackHttp && isLoopbackHostname(url.hostname)) return url;
  return undefined;
}

export function shellOpener(shell: { openExternal(url: string): Promise<void> }, options: { allowLoopbackHttp: boolean }): Opener {
  return {
    async open(url: URL) {
      const checked = openableUrl(url.href, options.allowLoopbackHttp);
      if (checked === undefined) throw new Error(`Gatehouse opens only https links in your browser, not ${url.protocol} ones`);
      await shell.openExternal(checked.href);
    },
  };
}
