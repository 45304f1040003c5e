// Picks, from a server's auth.mode in policy, how Gatehouse obtains the user's token for it. The
// broker calls this once per server and keeps the result for its life (BrokerOptions.credentials),
// so each server has one token cache, shared by every session.
import type { Dispatcher } from 'undici';
import { GatehouseError } from '../../../../common/errors.js';
import type { LookupAll } from '../../net/safe-lookup.js';
import type { ServerPolicy } from '../../policy/schema.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { NO_CREDENTIALS, type UpstreamCredentials } from '../upstream-credentials.js';
import type { UserIdentity } from './cached-credentials.js';
import { IdJagCredentials } from './id-jag-credentials.js';
import { IdpAudienceCredentials } from './idp-audience-credentials.js';
import { TokenExchangeCredentials } from './token-exchange-credentials.js';

export interface UpstreamCredentialsDeps {
  /** The signed-in user (the IdentitySession); undefined when policy has no `identity` section. */
  readonly identity: UserIdentity | undefined;
  /** For the id-jag authorization servers; wrapped by the URL guard, never closed here. */
  readonly dispatcher: Dispatcher;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Development only: plain http and loopback addresses for id-jag authorization servers. */
  readonly allowLoopbackHttp: boolean;
  /** Builds the `oauth` mode's credentials (OAuthUpstreamCredentials). */
  readonly oauth?: (server: ServerPolicy) => UpstreamCredentials;
  /** Renew tokens this long before they expire. Default 30 s. */
  readonly leewayMs?: number;
  /** DNS for the URL guard; tests substitute a fake. */
  readonly lookup?: LookupAll;
}

export function credentialsFor(server: ServerPolicy, deps: UpstreamCredentialsDeps): UpstreamCredentials {
  const auth = server.auth;
  switch (auth.mode) {
    case 'none':
      return NO_CREDENTIALS;
    case 'oauth':
      if (deps.oauth === undefined) {
        throw new GatehouseError('GATEHOUSE_INTERNAL', `server '${server.id}' uses auth mode "oauth", but this Gatehouse host was started without OAuth support (credentialsFor needs deps.oauth)`);
      }
      return deps.oauth(server);
    case 'idp-audience':
    case 'token-exchange':
    case 'id-jag':
      break;
    default:
      return unreachable(auth);
  }
  const identity = deps.identity;
  if (identity === undefined) return identityNotConfigured(server.id, auth.mode);
  const base = { serverId: server.id, identity, clock: deps.clock, logger: deps.logger, leewayMs: deps.leewayMs };
  const resource = auth.resource ?? server.url;
  switch (auth.mode) {
    case 'idp-audience':
      return new IdpAudienceCredentials({ ...base, resource, scopes: auth.scopes });
    case 'token-exchange':
      return new TokenExchangeCredentials({ ...base, audience: auth.audience ?? server.url, resource, scopes: auth.scopes });
    case 'id-jag':
      return new IdJagCredentials({
        ...base,
        authorizationServer: auth.authorizationServer,
        clientId: auth.clientId,
        resource,
        scopes: auth.scopes,
        dispatcher: deps.dispatcher,
        allowLoopbackHttp: deps.allowLoopbackHttp,
        lookup: deps.lookup,
      });
  }
}

/** Policy validation requires `identity` for these modes; a host that did not give one still fails clearly, per call. */
function identityNotConfigured(serverId: string, mode: string): UpstreamCredentials {
  const error = () =>
    new GatehouseError('GATEHOUSE_IDENTITY_NOT_CONFIGURED', `server '${serverId}' gets its token from the company sign-in (auth mode "${mode}"), but no sign-in is configured; ask your IT admin to add an "identity" section to the policy`);
  return {
    authorization: () => Promise.reject(error()),
    rejected: () => Promise.resolve(false),
  };
}

function unreachable(auth: never): never {
  throw new GatehouseError('GATEHOUSE_INTERNAL', `unknown auth mode ${JSON.stringify((auth as { mode?: unknown }).mode)}`);
}
