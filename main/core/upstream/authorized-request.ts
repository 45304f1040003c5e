// Every HTTP request to an upstream goes through here: it carries the user's token for that one
// server (never the IDE's local token, which stops at the endpoint), and a 401 or a 403
// insufficient_scope gets exactly one retry with a fresh token, when the credentials can get one.
import type { Dispatcher } from 'undici';
import { GatehouseError } from '../../../common/errors.js';
import { NO_CREDENTIALS, type UpstreamCredentials } from '../identity/upstream-credentials.js';
import { exchange, type Abortable, type UpstreamReply } from './upstream-exchange.js';

export interface AuthorizedRequest {
  dispatcher: Dispatcher;
  credentials: UpstreamCredentials;
  serverId: string;
  /** Aborts the request (and the wait for a token). */
  signal?: AbortSignal | undefined;
  /** The owner's open exchanges, which it aborts all at once when it closes. */
  inflight?: Set<Abortable> | undefined;
}

export async function authorizedRequest(
  { dispatcher, credentials, serverId, signal, inflight }: AuthorizedRequest,
  request: Dispatcher.DispatchOptions,
): Promise<UpstreamReply> {
  const options = { signal, inflight };
  // The common unauthenticated case stays free of extra awaits on the hot path.
  if (credentials === NO_CREDENTIALS) {
    const res = await exchange(dispatcher, request, options);
    return res.statusCode === 401 ? refuseChallenge(res, serverId) : res;
  }
  let token = await credentials.authorization(signal);
  for (let attempt = 0; ; attempt++) {
    const res = await exchange(dispatcher, token === undefined ? request : { ...request, headers: { ...(request.headers as Record<string, string>), authorization: token } }, options);
    const challenge = authChallenge(res);
    if (challenge === undefined) return res;
    await res.dump();
    if (attempt === 0 && (await credentials.rejected({ status: res.statusCode, wwwAuthenticate: challenge, token }, signal))) {
      token = await credentials.authorization(signal);
      continue;
    }
    throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `server '${serverId}' refused the user's token (HTTP ${res.statusCode}); sign in again, or ask your administrator to check this server's auth settings`);
  }
}

/** The WWW-Authenticate challenge of a 401, or of a 403 asking for more scope; undefined for any other answer. */
function authChallenge(res: UpstreamReply): string | undefined {
  if (res.statusCode !== 401 && res.statusCode !== 403) return undefined;
  const raw = res.headers['www-authenticate'];
  const value = Array.isArray(raw) ? raw.join(', ') : (raw ?? '');
  if (res.statusCode === 403 && !/error\s*=\s*"?insufficient_scope/i.test(value)) return undefined;
  return value;
}

async function refuseChallenge(res: UpstreamReply, serverId: string): Promise<never> {
  await res.dump();
  throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `server '${serverId}' requires authorization, but policy gives it none (auth mode "none"); ask your administrator to set its auth mode`);
}
