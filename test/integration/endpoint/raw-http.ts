// Raw HTTP against the broker's endpoint, with every header under the test's control (node:http adds
// only Host, and not even that when the test sets one). Each answer is checked for CORS headers: the
// endpoint must never grant a browser anything, whatever the request.
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Sent with a Content-Length unless `chunks` is given. */
  body?: string;
  /** Sent with Transfer-Encoding: chunked, one write per chunk. */
  chunks?: string[];
  /** Connect here instead of 127.0.0.1. */
  address?: string;
  /** Send no Host header at all. */
  noHost?: boolean;
  /** Resolve on the response headers and drop the connection (for event streams, which never end). */
  headersOnly?: boolean;
  timeoutMs?: number;
}

/** Not JSON at all: a refusal that happens before parsing answers this with its own status, never 400. */
export const INVALID_JSON = '{"jsonrpc": "2.0", this is not json';

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function assertNoCors(headers: IncomingHttpHeaders): void {
  const cors = Object.keys(headers).filter((name) => name.toLowerCase().startsWith('access-control-'));
  assert.deepEqual(cors, [], `the endpoint answered with CORS headers: ${cors.join(', ')}`);
}

export function raw(port: number, options: RawRequest = {}): Promise<RawResponse> {
  const { method = 'POST', path = '/mcp', body, chunks, address = '127.0.0.1', noHost = false, timeoutMs = 5000 } = options;
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined && chunks === undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    // A fresh connection each time (agent: false), so one refusal that closes its socket cannot
    // affect the next request.
    const req = request({ host: address, port, method, path, headers, agent: false, timeout: timeoutMs, setHost: !noHost });
    let answered = false;
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => {
      // Once the answer has arrived, a reset of the rest of our upload is expected (413).
      if (!answered) reject(error);
    });
    req.on('response', (res) => {
      answered = true;
      if (options.headersOnly) {
        res.destroy();
        try {
          assertNoCors(res.headers);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
        return;
      }
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          assertNoCors(res.headers);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    if (chunks !== undefined) {
      writeChunks(req, chunks);
    } else {
      req.end(body);
    }
  });
}

function writeChunks(req: ReturnType<typeof request>, chunks: string[]): void {
  let i = 0;
  const next = (): void => {
    while (i < chunks.length) {
      if (req.destroyed) return;
      const ok = req.write(chunks[i++]!);
      if (!ok) {
        req.once('drain', next);
        return;
      }
    }
    if (!req.destroyed) req.end();
  };
  next();
}

/** A raw initialize on `path`; returns the session id the endpoint issued. */
export async function initializeRaw(port: number, token: string, path = '/mcp'): Promise<string> {
  const res = await raw(port, {
    path,
    headers: { ...JSON_HEADERS, ...bearer(token) },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1.0.0' } },
    }),
  });
  assert.equal(res.status, 200, res.text);
  const sid = res.headers['mcp-session-id'];
  assert.equal(typeof sid, 'string');
  return sid as string;
}
