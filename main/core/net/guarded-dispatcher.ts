// An undici dispatcher that resolves and checks every request's host itself, then connects to the
// very address it checked. Checking a name and letting the connection resolve it again would leave
// a gap a DNS-rebinding server can use (public address for the check, 169.254.169.254 for the
// connect); rewriting the origin to the checked IP closes it. TLS still verifies the certificate
// against the original name, because the name travels as SNI and as the Host header.
import { isIP } from 'node:net';
import type { Dispatcher } from 'undici';
import { bareHostname, checkUntrustedUrl, type UrlPolicy } from './url-guard.js';
import { resolveSafeAddresses, systemLookup, type LookupAll } from './safe-lookup.js';

export interface GuardOptions {
  policy: UrlPolicy;
  lookup?: LookupAll;
  /** Names the requests in refusal messages, e.g. `a URL that server "docs" advertised`. */
  what?: string;
}

/** Wraps `base` (its pools and TLS settings are kept) with the SSRF guard. */
export function guardDispatcher(base: Dispatcher, options: GuardOptions): Dispatcher {
  const lookup = options.lookup ?? systemLookup;
  const what = options.what ?? 'a URL learned from a server';
  const interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    let origin: URL;
    try {
      origin = checkUntrustedUrl(String(opts.origin), options.policy, what);
    } catch (error) {
      fail(handler, error);
      return true;
    }
    resolveSafeAddresses(origin, options.policy, what, lookup).then(
      ([first]) => {
        const ip = first!.family === 6 ? `[${first!.address}]` : first!.address;
        const port = origin.port ? `:${origin.port}` : '';
        const pinned = {
          ...opts,
          origin: `${origin.protocol}//${ip}${port}`,
          headers: withHost(opts.headers, origin.host),
          // Not in undici's DispatchOptions type, but honoured by its Request: the TLS server name.
          servername: origin.protocol === 'https:' && isIP(bareHostname(origin)) === 0 ? bareHostname(origin) : undefined,
        };
        dispatch(pinned, handler);
      },
      (error: unknown) => fail(handler, error),
    );
    return true;
  };
  return base.compose(interceptor);
}

function fail(handler: Dispatcher.DispatchHandler, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  // No request was started, so there is no controller to hand over (undici's own DNS interceptor
  // does the same). Handlers reaching an interceptor are wrapped to the new API by compose().
  handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, err);
}

/** The request headers with Host set to the original authority, whatever shape undici gave them. */
function withHost(headers: Dispatcher.DispatchOptions['headers'], host: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const put = (name: string, value: string | string[] | undefined): void => {
    if (value !== undefined && name.toLowerCase() !== 'host') out[name] = value;
  };
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) put(String(headers[i]), String(headers[i + 1]));
  } else if (headers && typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name, value] of headers as Iterable<[string, string | string[] | undefined]>) put(name, value);
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) put(name, value as string | string[] | undefined);
  }
  out['host'] = host;
  return out;
}
