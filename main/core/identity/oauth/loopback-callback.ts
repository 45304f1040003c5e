// The redirect target of a browser sign-in (RFC 8252 §7.3): a one-shot HTTP listener on
// 127.0.0.1 that waits for the authorization server to send the browser back with a code. It
// listens only on loopback, accepts only the `state` it was told to expect, and its pages echo
// nothing from the request, so a web page cannot feed it a code of its own or script into it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../ports/clock.js';

export const CALLBACK_PATH = '/callback';

export interface CallbackResult {
  code: string;
  /** RFC 9207 issuer parameter, checked by the SDK against the metadata's issuer. */
  iss?: string;
}

/** The authorization server redirected with an error (the user declined, for instance). */
export class AuthorizationResponseError extends Error {
  constructor(readonly error: string, readonly description: string | undefined) {
    super(description ? `${error}: ${description}` : error);
  }
}

export class CallbackTimeoutError extends Error {}

interface Waiter {
  state: string;
  resolve(result: CallbackResult): void;
  reject(error: Error): void;
}

export class LoopbackCallback {
  private waiter: Waiter | undefined;

  private constructor(private readonly server: Server, readonly redirectUri: string) {}

  /** Listens on `preferredPort` when it is free (a registration may name it), else on any port. */
  static async listen(preferredPort?: number): Promise<LoopbackCallback> {
    const holder: { callback?: LoopbackCallback } = {};
    const server = createServer((req, res) => holder.callback?.handle(req, res));
    const port = await bind(server, preferredPort).catch(() => bind(server, 0));
    holder.callback = new LoopbackCallback(server, `http://127.0.0.1:${port}${CALLBACK_PATH}`);
    return holder.callback;
  }

  /** Resolves with the code for `state`; rejects on an error redirect, timeout or abort. */
  wait(state: string, options: { clock: Clock; timeoutMs: number; signal: AbortSignal }): Promise<CallbackResult> {
    return new Promise<CallbackResult>((resolve, reject) => {
      const timer = options.clock.setTimeout(() => settle(() => reject(new CallbackTimeoutError('no answer from the browser in time'))), options.timeoutMs);
      const onAbort = (): void => settle(() => reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('sign-in cancelled')));
      const settle = (finish: () => void): void => {
        if (this.waiter === undefined) return;
        this.waiter = undefined;
        timer.cancel();
        options.signal.removeEventListener('abort', onAbort);
        finish();
      };
      this.waiter = { state, resolve: (r) => settle(() => resolve(r)), reject: (e) => settle(() => reject(e)) };
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found.');
    const waiter = this.waiter;
    // A response for another (or no) pending sign-in is ignored, not allowed to end this one.
    if (waiter === undefined || url.searchParams.get('state') !== waiter.state) {
      return page(res, 400, 'This sign-in response does not match the sign-in Gatehouse is waiting for. Start again from Gatehouse.');
    }
    const error = url.searchParams.get('error');
    if (error !== null) {
      page(res, 200, 'Access was not granted. You can close this window.');
      return waiter.reject(new AuthorizationResponseError(error, url.searchParams.get('error_description') ?? undefined));
    }
    const code = url.searchParams.get('code');
    if (!code) return page(res, 400, 'The sign-in response carries no authorization code. Start again from Gatehouse.');
    page(res, 200, 'Gatehouse is now authorized. You can close this window.');
    waiter.resolve({ code, iss: url.searchParams.get('iss') ?? undefined });
  }

  async close(): Promise<void> {
    this.waiter?.reject(new Error('sign-in cancelled'));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function bind(server: Server, port: number | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function page(res: ServerResponse, status: number, text: string): void {
  const body = `<!doctype html><meta charset="utf-8"><title>Gatehouse</title><p>${text}</p>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'",
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}
