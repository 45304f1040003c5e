// Serves app://gatehouse/ from the built renderer (renderer/dist) and nothing else: GET only, no
// path outside the folder, a content type for every file, and the UI's CSP as a header. The scheme
// is registered standard (so the page has an origin and relative URLs resolve) and secure (a secure
// context like https), with the fetch API for module scripts; not CORS-enabled, so no other origin
// can read it, and never allowed to bypass CSP.
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin.js';

/** The privileges the scheme is registered with, before the app is ready (a CustomScheme). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false, stream: false },
} as const;

/**
 * The desktop UI's policy: only its own scripts, styles and images; it reaches the host through the
 * preload bridge, never the network (connect-src 'none'); no frames, forms, base or plugins.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "worker-src 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': APP_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface AppProtocolOptions {
  /** The built renderer: the folder holding index.html. */
  root: string;
  /** Reads a file; rejects with code ENOENT (or EISDIR) when there is none. */
  readFile(file: string): Promise<Uint8Array>;
}

/** The protocol handler (protocol.handle) for app://gatehouse/. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: { url: string; method: string }) => Promise<Response> {
  const root = path.resolve(options.root);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = fileFor(root, request.url);
    if (file === undefined) return plain(404, 'Not found');
    let body: Uint8Array;
    try {
      body = await options.readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? plain(404, 'Not found') : plain(500, 'Could not read the file');
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...HEADERS, 'content-type': type } });
  };
}

/** The file under `root` a URL names, or undefined when it names none (another host, a path that leaves root). */
export function fileFor(root: string, text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  // Decoded %2F, %5C and %00 could smuggle a separator or end the name early.
  if (pathname.includes('\\') || pathname.includes('\0')) return undefined;
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = path.resolve(root, relative);
  const inside = path.relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) return undefined;
  return file;
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}
