// Opens a URL in the user's default browser, as the CLI host's Opener. The URL is passed as one
// argument to a fixed program, never through a shell, and only http(s) URLs are accepted.
import { spawn } from 'node:child_process';
import type { Opener } from '../core/ports/opener.js';

export function systemBrowser(platform: NodeJS.Platform = process.platform): Opener {
  return {
    open(url: URL): Promise<void> {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return Promise.reject(new Error(`refusing to open a ${url.protocol} URL`));
      const [command, args] = launcher(platform, url.href);
      return new Promise<void>((resolve, reject) => {
        const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
        child.once('error', reject);
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      });
    },
  };
}

function launcher(platform: NodeJS.Platform, href: string): [string, string[]] {
  switch (platform) {
    case 'darwin':
      return ['open', [href]];
    case 'win32':
      // Not `cmd /c start`, which would parse the URL's & and ^ as shell syntax.
      return ['rundll32', ['url.dll,FileProtocolHandler', href]];
    default:
      return ['xdg-open', [href]];
  }
}
