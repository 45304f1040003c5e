// The redirect target of a native app's sign-in (RFC 8252 §7.3): an http server on 127.0.0.1 at a
// port the OS picks, for as long as one sign-in lasts. It takes exactly one callback, the one with
// the state of the sign-in in progress; anything else (another state, another path, a foreign Host)
// is refused and the sign-in keeps waiting, so a stray or forged request cannot end it.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatehouseError } from '../../../common/errors.js';
import type { Clock } from '../ports/clock.js';

export const CALLBACK_PATH = '/callback';

export interface WaitOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export interface LoopbackRedirect {
  readonly redirectUri: string;
  /** Waits for the callback carrying `expectedState`, runs `complete` with its URL, answers the
   *  browser with the outcome, and returns what `complete` returned (or throws what it threw). */
  waitForCallback<T>(expectedState: string, complete: (callbackUrl: URL) => Promise<T>, options: WaitOptions): Promise<T>;
  close(): Promise<void>;
}

export async function openLoopbackRedirect(): Promise<LoopbackRedirect> {
  let onCallback: ((url: URL, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => route(req, res));
  const host = await new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    // The IPv4 literal, not `localhost`, which may resolve elsewhere (RFC 8252 §8.3).
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`));
  });

  function route(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers.host !== host) return page(res, 400, 'Wrong address', 'This page only answers at its own loopback address.');
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found', 'Nothing here.');
    if (onCallback === undefined) return page(res, 400, 'No sign-in in progress', 'Gatehouse is not waiting for a sign-in. Start again with `gatehouse login`.');
    onCallback(url, res);
  }

  return {
    redirectUri: `http://${host}${CALLBACK_PATH}`,
    waitForCallback<T>(expectedState: string, complete: (callbackUrl: URL) => Promise<T>, options: WaitOptions): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let settled = false;
        const finish = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          timer.cancel();
          options.signal?.removeEventListener('abort', onAbort);
          onCallback = undefined;
          outcome();
        };
        const timer = options.clock.setTimeout(
          () => finish(() => reject(new GatehouseError('GATEHOUSE_SIGN_IN_FAILED', `sign-in timed out after ${Math.round(options.timeoutMs / 1000)} s without an answer from the browser; run \`gatehouse login\` again`))),
          options.timeoutMs,
        );
        const onAbort = () => finish(() => reject(new GatehouseError('GATEHOUSE_SIGN_IN_FAILED', 'sign-in was cancelled', { cause: options.signal?.reason })));
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        onCallback = (url, res) => {
          if (!sameState(url.searchParams.get('state'), expectedState)) {
            page(res, 400, 'Sign-in not accepted', 'This answer does not belong to the sign-in Gatehouse started. Start again with `gatehouse login` if needed.');
            return;
          }
          // Exactly one callback is taken; from here the code exchange's own timeout applies.
          onCallback = undefined;
          timer.cancel();
          options.signal?.removeEventListener('abort', onAbort);
          // The browser's page is answered before the sign-in settles, so closing the server after
          // it cannot cut the page off.
          complete(url).then(
            (value) => {
              res.once('close', () => finish(() => resolve(value)));
              page(res, 200, 'Signed in', 'You are signed in to Gatehouse. You can close this tab.');
            },
            (error: unknown) => {
              res.once('close', () => finish(() => reject(error)));
              page(res, 400, 'Sign-in failed', error instanceof Error ? error.message : String(error));
            },
          );
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections the browser left open would hold close() forever.
        server.closeAllConnections();
      }),
  };
}

function sameState(actual: string | null, expected: string): boolean {
  if (actual === null) return false;
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function page(res: ServerResponse, status: number, title: string, message: string): void {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse — ${escape(title)}</title></head>` +
      `<body style="font-family:system-ui,sans-serif;margin:10vh auto;max-width:32rem"><h1>${escape(title)}</h1><p id="message">${escape(message)}</p></body></html>`,
  );
}
