// A fetch for URLs that servers told us about. The MCP SDK's OAuth helpers take a fetchFn; handing
// them this one puts every discovery, registration and token request behind the URL guard and the
// address pinning, including each hop of a redirect (redirects are never followed here: the SDK
// re-issues a followed request through this same function, so each hop is checked again).
import { fetch as undiciFetch, type Dispatcher, type RequestInit as UndiciRequestInit } from 'undici';
import { GatehouseError } from '../../../common/errors.js';
import { guardDispatcher } from './guarded-dispatcher.js';
import type { LookupAll } from './safe-lookup.js';
import { checkUntrustedUrl, displayUrl, type UrlPolicy } from './url-guard.js';

export type SafeFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface SafeFetchOptions {
  /** The host's dispatcher (keep-alive pools, TLS settings); it is wrapped, never closed. */
  dispatcher: Dispatcher;
  policy: UrlPolicy;
  lookup?: LookupAll;
  /** Names the URLs in refusal messages, e.g. `a URL that server "docs" advertised`. */
  what?: string;
  /** Per request, headers and body together. Metadata and token endpoints answer quickly. */
  timeoutMs?: number;
  /** Metadata documents and token responses are small; a huge body is refused, not buffered. */
  maxResponseBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 1024 * 1024;
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function createSafeFetch(options: SafeFetchOptions): SafeFetch {
  const what = options.what ?? 'a URL learned from a server';
  const dispatcher = guardDispatcher(options.dispatcher, { policy: options.policy, lookup: options.lookup, what });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_BYTES;

  return async (input, init) => {
    // Checked here too, before any I/O, so a refusal names the URL and never reaches the dispatcher.
    const url = checkUntrustedUrl(input, options.policy, what);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      response = await undiciFetch(url, { ...(init as UndiciRequestInit), redirect: 'manual', signal, dispatcher });
    } catch (error) {
      throw explain(error, url, timeout, timeoutMs);
    }
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await readCapped(response, maxBytes, url);
    // A plain global Response: what the SDK expects, detached from the connection that produced it.
    return new Response(body, { status: response.status, statusText: response.statusText, headers: [...response.headers] });
  };
}

/** Surfaces the guard's own refusal instead of undici's generic "fetch failed". */
function explain(error: unknown, url: URL, timeout: AbortSignal, timeoutMs: number): unknown {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof GatehouseError) return cause;
  if (timeout.aborted) return new Error(`no answer from ${displayUrl(url)} within ${timeoutMs} ms`, { cause: error });
  return error;
}

async function readCapped(response: Awaited<ReturnType<typeof undiciFetch>>, maxBytes: number, url: URL): Promise<Uint8Array | null> {
  if (!response.body) return null;
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const tooBig = (): Error => new Error(`the response from ${displayUrl(url)} is larger than ${maxBytes} bytes`);
  if (declared > maxBytes) {
    await response.body.cancel();
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooBig(); // leaving the loop cancels the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
