// The UI of a headless Gatehouse (dashboard, activity, prompts, settings): the React app from
// renderer/ served on 127.0.0.1 (port 0 by default), and its API over the same origin. Nobody gets
// in without a one-time link (`/?t=<token>`, from link()): the first request with the token trades
// it for an HttpOnly, SameSite=Strict cookie and is redirected to `/` without the token. Every other request needs that
// cookie, a Host of 127.0.0.1/localhost on our port, and (if the browser sends one) our own Origin;
// no CORS, a strict CSP, no framing.
//   POST /api/call/<name>           one call of common/ui-api.ts: the JSON request in, the UiService's
//                                   UiResult out (200 even for a call's own errors; 4xx only for
//                                   transport problems: not signed in, not JSON, too large, no such call)
//   GET  /api/events                text/event-stream: an event named after each topic that changed
// Nothing else under /api/: the prompts are calls too (prompts.get, prompts.answer).
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatehouseErrorCode } from '../../../common/errors.js';
import { UI_API_ROUTES, UI_CALLS, UI_TOPICS, type UiResult } from '../../../common/ui-api.js';
import { silentLogger, type Logger } from '../../core/ports/logger.js';
import type { UiService } from '../../core/ui/ui-service.js';
import { loadUiAssets, type UiAssets } from './ui-assets.js';
import { checkUiRequest } from './ui-gate.js';

/** What answers the UI's calls and tells of changes: the UiService. */
export type UiCalls = Pick<UiService, 'handle' | 'subscribe'>;

export interface UiServerOptions {
  /** The calls of /api/call and the topics of /api/events; without them those routes are 404. */
  calls?: UiCalls;
  /**
   * The UI's files; by default loadUiAssets() (built from a checkout, or renderer/dist) before the
   * server starts. A function is called when the first page is asked for, so a host can serve the
   * API at once and build the UI only when someone opens it.
   */
  assets?: UiAssets | (() => Promise<UiAssets>);
  /** 0 (default) picks a free port. Always bound to 127.0.0.1. */
  port?: number;
  logger?: Logger;
  /** How often an idle event stream gets a comment, so proxies and browsers keep it open. */
  heartbeatMs?: number;
}

export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': UI_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

const MAX_BODY_BYTES = 256 * 1024;
const CALL_PREFIX = '/api/call/';
const isCallApi = (pathname: string) => pathname.startsWith(CALL_PREFIX) || pathname === UI_API_ROUTES.events;
const isApi = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');
const secret = () => randomBytes(32).toString('base64url');

export class UiServer {
  readonly #server: Server;
  readonly #calls: UiCalls | undefined;
  #assets: UiAssets | (() => Promise<UiAssets>);
  #assetsLoading: Promise<UiAssets> | undefined;
  readonly #logger: Logger;
  readonly #heartbeatMs: number;
  /** Digests of one-time link tokens not yet used, and of the session cookies they were traded for. */
  readonly #tokens = new Set<string>();
  readonly #sessions = new Set<string>();
  readonly #streams = new Set<ServerResponse>();
  #port = 0;

  private constructor(options: UiServerOptions, assets: UiAssets | (() => Promise<UiAssets>)) {
    this.#calls = options.calls;
    this.#assets = assets;
    this.#logger = options.logger ?? silentLogger;
    this.#heartbeatMs = options.heartbeatMs ?? 25_000;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#logger.log('error', 'the Gatehouse UI failed to answer a request', { error: String(error) });
        if (res.headersSent) return void res.destroy();
        const message = 'Gatehouse failed to answer; see its log.';
        if (isApi(new URL(req.url ?? '/', this.origin).pathname)) this.#json(res, 500, apiError('GATEHOUSE_INTERNAL', message));
        else this.#page(req, res, 500, message);
      });
    });
  }

  /** Loads the UI (see ui-assets.ts; unless `assets` says to load it later) and listens on 127.0.0.1. */
  static async start(options: UiServerOptions): Promise<UiServer> {
    const ui = new UiServer(options, options.assets ?? (await loadUiAssets(options.logger)));
    await new Promise<void>((resolve, reject) => {
      ui.#server.once('error', reject);
      ui.#server.listen(options.port ?? 0, '127.0.0.1', () => {
        ui.#server.off('error', reject);
        resolve();
      });
    });
    ui.#port = (ui.#server.address() as AddressInfo).port;
    return ui;
  }

  get port(): number {
    return this.#port;
  }

  /** The UI's address, without any token: `http://127.0.0.1:<port>`. */
  get origin(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** A new one-time link that signs one browser in: print it, or open it with the system browser. */
  link(): string {
    const token = secret();
    this.#tokens.add(digest(token));
    return `${this.origin}/?t=${token}`;
  }

  /** How many pages are watching (the event stream) now; with none, a host may want to print a fresh link. */
  get watchers(): number {
    return this.#streams.size;
  }

  async stop(): Promise<void> {
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  get #cookieName(): string {
    // Browsers share cookies across the ports of one host: the port in the name keeps two Gatehouse UIs apart.
    return `gatehouse_ui_${this.#port}`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const gate = checkUiRequest(method, req.headers, this.#port);
    if (!gate.ok) return this.#refuse(req, res, 403, gate.message);
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      res.setHeader('allow', 'GET, HEAD, POST');
      return this.#refuse(req, res, 405, 'Method not allowed.');
    }
    const url = new URL(req.url ?? '/', this.origin);
    const signedIn = this.#hasSession(req);

    if (url.pathname === '/' && url.searchParams.has('t') && method === 'GET') {
      const token = url.searchParams.get('t') ?? '';
      if (this.#tokens.delete(digest(token))) {
        const session = secret();
        this.#sessions.add(digest(session));
        res.setHeader('set-cookie', `${this.#cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`);
        return this.#redirectHome(res);
      }
      if (signedIn) return this.#redirectHome(res);
      return this.#refuse(req, res, 403, 'This link was already used or is not valid. Use the newest link Gatehouse printed, or restart it for a new one.');
    }
    if (!signedIn) return this.#refuse(req, res, 401, 'Open the link Gatehouse printed (http://127.0.0.1:…/?t=…) to use Gatehouse here.');

    if (isCallApi(url.pathname)) return this.#api(req, res, method, url.pathname);
    if (isApi(url.pathname)) return this.#refuse(req, res, 404, 'Gatehouse has no such call.');
    if (method === 'POST') return this.#refuse(req, res, 404, 'Not found.');
    const assets = await this.#uiAssets();
    if (assets === undefined) return this.#unavailable(req, res);
    const asset = assets.get(url.pathname === '/' ? '/index.html' : url.pathname);
    if (asset === undefined || url.pathname === '/index.html') return this.#refuse(req, res, 404, 'Not found.');
    const immutable = url.pathname.startsWith('/assets/');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': asset.contentType,
      'content-length': asset.body.length,
      'cache-control': immutable ? 'private, max-age=31536000, immutable' : 'no-store',
    });
    res.end(method === 'HEAD' ? undefined : asset.body);
  }

  #hasSession(req: IncomingMessage): boolean {
    const header = req.headers.cookie;
    if (header === undefined) return false;
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.#cookieName && this.#sessions.has(digest(part.slice(eq + 1).trim()))) return true;
    }
    return false;
  }

  /** /api/events: one `event: <topic>` with `data: {}` each time a topic changed; the page calls again for the new state. */
  #topicStream(req: IncomingMessage, res: ServerResponse, calls: UiCalls): void {
    this.#eventStream(req, res, () => {
      const stops = UI_TOPICS.map((topic) => calls.subscribe(topic, () => res.write(`event: ${topic}\ndata: {}\n\n`)));
      return () => stops.forEach((stop) => stop());
    });
  }

  /** Opens a text/event-stream, keeps it alive with comments, and stops `watch` when either side closes it. */
  #eventStream(req: IncomingMessage, res: ServerResponse, watch: () => () => void): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    const unsubscribe = watch();
    const heartbeat = setInterval(() => res.write(': still here\n\n'), this.#heartbeatMs);
    heartbeat.unref();
    this.#streams.add(res);
    let closed = false;
    const done = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      this.#streams.delete(res);
    };
    req.once('close', done);
    res.once('close', done);
  }

  /** /api/call/<name> and /api/events, for a signed-in page. */
  async #api(req: IncomingMessage, res: ServerResponse, method: string, pathname: string): Promise<void> {
    const calls = this.#calls;
    if (calls === undefined) return this.#refuse(req, res, 404, 'Not found.');
    if (pathname === UI_API_ROUTES.events) {
      if (method !== 'GET') return this.#refuse(req, res, 405, 'Method not allowed: GET the event stream.');
      return this.#topicStream(req, res, calls);
    }
    const name = safeDecode(pathname.slice(CALL_PREFIX.length));
    if (name === undefined || !Object.hasOwn(UI_CALLS, name)) return this.#refuse(req, res, 404, 'Gatehouse has no such call.');
    if (method !== 'POST') return this.#refuse(req, res, 405, 'Method not allowed: POST the request as JSON.');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return this.#json(res, 415, apiError('GATEHOUSE_BAD_REQUEST', 'Send the request as application/json.'));
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return this.#json(res, 413, apiError('GATEHOUSE_BAD_REQUEST', 'The request is too large.'));
    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch {
      return this.#json(res, 400, apiError('GATEHOUSE_BAD_REQUEST', 'The request is not valid JSON.'));
    }
    return this.#json(res, 200, await calls.handle(name, request));
  }

  /** The UI's files, loading them on first use when the host asked for that; undefined if they cannot be had. */
  async #uiAssets(): Promise<UiAssets | undefined> {
    const assets = this.#assets;
    if (typeof assets !== 'function') return assets;
    this.#assetsLoading ??= assets();
    try {
      const loaded = await this.#assetsLoading;
      this.#assets = loaded;
      return loaded;
    } catch (error) {
      // The next page asked for tries again (a build may fail while someone edits the renderer).
      this.#assetsLoading = undefined;
      this.#logger.log('error', 'could not load the Gatehouse UI', { error: String(error) });
      return undefined;
    }
  }

  #unavailable(req: IncomingMessage, res: ServerResponse): void {
    const page = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse</title></head><body><h1>Gatehouse</h1><p>The Gatehouse UI could not be loaded; the reason is in its log. Reload to try again.</p></body></html>';
    res.writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : page);
  }

  #redirectHome(res: ServerResponse): void {
    res.writeHead(303, { ...SECURITY_HEADERS, location: '/', 'cache-control': 'no-store' });
    res.end();
  }

  #refuse(req: IncomingMessage, res: ServerResponse, status: 401 | 403 | 404 | 405, message: string): void {
    const pathname = (req.url ?? '').split('?')[0]!;
    this.#logger.log('debug', 'Gatehouse UI request refused', { status, method: req.method, path: pathname });
    if (isApi(pathname)) return this.#json(res, status, apiError(status === 401 || status === 403 ? 'GATEHOUSE_UI_UNAUTHORIZED' : 'GATEHOUSE_BAD_REQUEST', message));
    this.#page(req, res, status, message);
  }

  #page(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse</title></head><body><h1>Gatehouse</h1><p>${escapeHtml(message)}</p></body></html>`;
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : page);
  }

  #json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

/** A transport-level refusal of anything under /api/, in the calls' own envelope. */
function apiError(code: GatehouseErrorCode, message: string): UiResult<never> {
  return { ok: false, error: { code, message } };
}

/** The body as text, or undefined when it is larger than `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      // Too large: stop keeping it, drain the rest, and let the caller answer 413.
      req.removeAllListeners('data');
      req.resume();
      resolve(undefined);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
