// The authorization server of an `id-jag` server: its metadata (RFC 8414, then OpenID discovery),
// found from the issuer policy names and required to state that same issuer, and the RFC 7523
// jwt-bearer grant that trades an ID-JAG for the server's access token. Gatehouse is a public
// client there (a laptop keeps no client secret), so the grant carries client_id only.
//
// The issuer comes from policy, so its host is trusted even on a private address; every URL its
// metadata names is checked by the URL guard like any other URL a server chose.
import {
  discoverAuthorizationServerMetadata,
  exchangeJwtAuthGrant,
  IssuerMismatchError,
  type AuthorizationServerMetadata,
} from '@modelcontextprotocol/client';
import type { Dispatcher } from 'undici';
import { GatehouseError, isGatehouseError } from '../../../../common/errors.js';
import { createSafeFetch, type SafeFetch } from '../../net/safe-fetch.js';
import type { LookupAll } from '../../net/safe-lookup.js';
import { bareHostname, checkUntrustedUrl, type UrlPolicy } from '../../net/url-guard.js';
import type { TokenAnswer } from './issued-token.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface JwtBearerServerOptions {
  /** The authorization server's issuer, as policy states it. */
  readonly issuer: string;
  readonly serverId: string;
  readonly clientId: string;
  readonly dispatcher: Dispatcher;
  /** Development only: plain http and loopback addresses. */
  readonly allowLoopbackHttp: boolean;
  /** DNS for the URL guard; tests substitute a fake. */
  readonly lookup?: LookupAll;
}

/** What one HTTP exchange with the server came to, for telling refusals from outages. */
interface Observed {
  answered: boolean;
  status?: number;
  error?: string;
  description?: string;
}

export class JwtBearerServer {
  readonly #options: JwtBearerServerOptions;
  readonly #policy: UrlPolicy;
  readonly #fetch: SafeFetch;
  #metadata: AuthorizationServerMetadata | undefined;

  constructor(options: JwtBearerServerOptions) {
    this.#options = options;
    this.#policy = { allowLoopbackHttp: options.allowLoopbackHttp, allowedHosts: [bareHostname(new URL(options.issuer))] };
    this.#fetch = createSafeFetch({ dispatcher: options.dispatcher, policy: this.#policy, lookup: options.lookup, what: `a URL of the authorization server of server "${options.serverId}"` });
  }

  /** The metadata, discovered on first use and kept; a failure is not remembered. */
  async metadata(): Promise<AuthorizationServerMetadata & { token_endpoint: string }> {
    const metadata = this.#metadata ?? (await this.#discover());
    this.#metadata = metadata;
    return metadata as AuthorizationServerMetadata & { token_endpoint: string };
  }

  /** Trades an ID-JAG for an access token. */
  async grant(assertion: string, resource: string): Promise<TokenAnswer> {
    const metadata = await this.metadata();
    const observed: Observed = { answered: false };
    try {
      return await exchangeJwtAuthGrant({
        tokenEndpoint: metadata.token_endpoint,
        jwtAuthGrant: assertion,
        clientId: this.#options.clientId,
        authMethod: 'none',
        fetchFn: this.#observing(observed),
      });
    } catch (error) {
      // The endpoint may have moved: look again next time.
      this.#metadata = undefined;
      throw this.#grantFailure(error, observed, resource);
    }
  }

  async #discover(): Promise<AuthorizationServerMetadata> {
    const { issuer } = this.#options;
    const observed: Observed = { answered: false };
    let metadata: AuthorizationServerMetadata | undefined;
    try {
      checkUntrustedUrl(issuer, this.#policy, this.#what('issuer'));
      metadata = await discoverAuthorizationServerMetadata(issuer, { fetchFn: this.#observing(observed) });
    } catch (error) {
      if (isGatehouseError(error)) throw this.#guardRefusal(error);
      if (error instanceof IssuerMismatchError) {
        throw this.#refused(`its metadata names another issuer than ${issuer}`, `set the server's auth.authorizationServer in policy to that server's exact issuer.`, error);
      }
      if (!observed.answered || (observed.status !== undefined && observed.status >= 500)) throw this.#unreachable(error, observed);
      throw this.#refused(`its metadata is not valid (${invalidity(error)})`, 'check the authorization server\'s RFC 8414 metadata.', error);
    }
    if (metadata === undefined) {
      throw this.#refused('it publishes no OAuth (RFC 8414) or OpenID metadata', 'check the server\'s auth.authorizationServer in policy: it must be the issuer of an authorization server that publishes metadata.');
    }
    if (typeof metadata.token_endpoint !== 'string') throw this.#refused('its metadata names no token endpoint', 'the authorization server must offer a token endpoint for the jwt-bearer grant.');
    try {
      checkUntrustedUrl(metadata.token_endpoint, this.#policy, this.#what('token endpoint'));
    } catch (error) {
      throw this.#guardRefusal(error);
    }
    const grants = metadata.grant_types_supported;
    if (grants !== undefined && !grants.includes(JWT_BEARER_GRANT)) {
      throw this.#refused('its metadata does not list the jwt-bearer grant (RFC 7523)', 'enable the jwt-bearer grant (ID-JAG, enterprise-managed authorization) for Gatehouse\'s client there.');
    }
    return metadata;
  }

  /** The guarded fetch, noting whether the server answered and how, so failures can be told apart. */
  #observing(observed: Observed): SafeFetch {
    return async (url, init) => {
      const response = await this.#fetch(url, init);
      observed.answered = true;
      observed.status = response.status;
      if (!response.ok) {
        try {
          const body = (await response.clone().json()) as Record<string, unknown>;
          if (typeof body['error'] === 'string') observed.error = body['error'];
          if (typeof body['error_description'] === 'string') observed.description = body['error_description'];
        } catch {
          // Not an OAuth error body; the status says enough.
        }
      }
      return response;
    };
  }

  #grantFailure(error: unknown, observed: Observed, resource: string): unknown {
    if (isGatehouseError(error)) return this.#guardRefusal(error);
    const status = observed.status;
    if (!observed.answered || (status !== undefined && (status >= 500 || status === 429))) return this.#unreachable(error, observed);
    if (status !== undefined && status >= 400) {
      const said = [observed.error, observed.description].filter(Boolean).join(': ') || 'no reason given';
      const { clientId } = this.#options;
      const advice =
        observed.error === 'invalid_client' || observed.error === 'unauthorized_client'
          ? `register client id '${clientId}' there as a public client (no secret) allowed to use the jwt-bearer grant.`
          : `it must accept ID-JAGs from the company IdP for client id '${clientId}' and resource ${resource}.`;
      return this.#refused(`it refused the ID-JAG for server '${this.#options.serverId}': ${said} (HTTP ${status})`, advice, error);
    }
    return this.#refused(`its token response is not valid (${invalidity(error)})`, 'check the authorization server\'s token endpoint.', error);
  }

  /** The URL guard refusing a URL of this server is a fault of its settings, not an outage: said as such. */
  #guardRefusal(error: unknown): unknown {
    if (!isGatehouseError(error) || error.code !== 'GATEHOUSE_UNSAFE_URL') return error;
    return this.#refused(error.message.replace(/\.$/, ''), 'correct the authorization server\'s metadata, or the server\'s auth.authorizationServer in policy.', error);
  }

  #refused(what: string, advice: string, cause?: unknown): GatehouseError {
    return new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `The authorization server ${this.#options.issuer} of server '${this.#options.serverId}' could not be used: ${what}. Tell your IT admin: ${advice}`, { cause });
  }

  #unreachable(error: unknown, observed: Observed): GatehouseError {
    const detail = observed.status !== undefined ? `HTTP ${observed.status}` : error instanceof Error ? describe(error) : String(error);
    return new GatehouseError('GATEHOUSE_SERVER_UNAVAILABLE', `cannot reach the authorization server ${this.#options.issuer} of server '${this.#options.serverId}' (${detail}); try again shortly`, { cause: error });
  }

  #what(part: string): string {
    return `the ${part} of the authorization server of server "${this.#options.serverId}"`;
  }
}

/** A schema failure as `field: problem` pairs rather than zod's JSON dump. */
function invalidity(error: unknown): string {
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues)) {
    return issues.map((i: { path?: unknown[]; message?: string }) => `${(i.path ?? []).join('.') || '(root)'}: ${i.message ?? 'invalid'}`).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

function describe(error: Error): string {
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
