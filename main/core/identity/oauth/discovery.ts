// Finds out, the way the MCP authorization spec says, where a server's tokens come from: its RFC 9728
// protected-resource metadata (at the URL its WWW-Authenticate named, else the well-known location),
// then the authorization server's RFC 8414 / OpenID metadata. Everything learned here is untrusted:
// each URL passes the URL guard, and the metadata must describe this very server and support PKCE.
import {
  checkResourceAllowed,
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  resourceUrlFromServerUrl,
  type AuthorizationServerMetadata,
  type OAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/client';
import { GatehouseError, isGatehouseError } from '../../../../common/errors.js';
import type { SafeFetch } from '../../net/safe-fetch.js';
import { checkUntrustedUrl, displayUrl, type UrlPolicy } from '../../net/url-guard.js';

export interface AuthorizationTarget {
  /** The RFC 8707 resource indicator to request tokens for: the metadata's `resource`, verbatim. */
  resource: string;
  resourceMetadata: OAuthProtectedResourceMetadata;
  /** The authorization server's issuer identifier, as its metadata states (and the SDK verified). */
  issuer: string;
  metadata: AuthorizationServerMetadata;
}

/**
 * The server publishes no metadata at the well-known location. It may still name a metadata URL
 * in the WWW-Authenticate of its 401, which a request without a token will draw out.
 */
export class ResourceMetadataNotFound extends GatehouseError {
  constructor(who: string, cause: unknown) {
    super('GATEHOUSE_UPSTREAM_AUTH_FAILED', `${capital(who)} publishes no OAuth protected-resource metadata (RFC 9728) at the well-known location, and has not named one in a challenge.`, { cause });
  }
}

export interface DiscoveryInput {
  serverId: string;
  serverUrl: URL;
  /** From the server's WWW-Authenticate `resource_metadata` parameter, when it sent one. */
  resourceMetadataUrl?: URL;
  fetch: SafeFetch;
  policy: UrlPolicy;
}

export async function discoverAuthorization(input: DiscoveryInput): Promise<AuthorizationTarget> {
  const { serverId, serverUrl, fetch, policy } = input;
  const who = `server "${serverId}"`;
  const resourceMetadataUrl = input.resourceMetadataUrl
    ? checkUntrustedUrl(input.resourceMetadataUrl, policy, `the resource metadata URL that ${who} sent`)
    : undefined;

  let lastStatus: number | undefined;
  const watching: SafeFetch = async (url, init) => {
    const res = await fetch(url, init);
    lastStatus = res.status;
    return res;
  };
  const resourceMetadata = await step(who, 'its protected-resource metadata (RFC 9728)', async () => {
    try {
      return await discoverOAuthProtectedResourceMetadata(serverUrl, resourceMetadataUrl ? { resourceMetadataUrl } : undefined, watching);
    } catch (error) {
      if (!resourceMetadataUrl && lastStatus === 404) throw new ResourceMetadataNotFound(who, error);
      throw error;
    }
  });

  // RFC 9728 §3.3/§7.3: metadata for some other resource must not be used, or a server could have
  // Gatehouse fetch tokens meant for another audience. Same origin and a path prefix, as the SDK does.
  const expected = resourceUrlFromServerUrl(serverUrl);
  if (!sameResource(expected, resourceMetadata.resource)) {
    throw new GatehouseError(
      'GATEHOUSE_UPSTREAM_AUTH_FAILED',
      `The OAuth metadata of ${who} describes another resource (${resourceMetadata.resource}) than ${displayUrl(expected)}; Gatehouse will not request tokens for it. Ask the administrator to check the server's URL.`,
    );
  }

  const advertised = resourceMetadata.authorization_servers?.[0];
  if (advertised === undefined) {
    throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `${capital(who)} names no authorization server in its OAuth metadata, so Gatehouse cannot sign in to it.`);
  }
  const asUrl = checkUntrustedUrl(advertised, policy, `the authorization server URL that ${who} advertised`);

  const metadata = await step(who, `the metadata of its authorization server ${displayUrl(asUrl)}`, async () => {
    const found = await discoverAuthorizationServerMetadata(advertised, { fetchFn: fetch });
    if (found === undefined) throw new Error('no RFC 8414 or OpenID metadata was found');
    return found;
  });

  // The MCP authorization spec: a client MUST refuse to proceed when S256 is not advertised.
  if (!metadata.code_challenge_methods_supported?.includes('S256')) {
    throw new GatehouseError(
      'GATEHOUSE_UPSTREAM_AUTH_FAILED',
      `The authorization server ${displayUrl(asUrl)} of ${who} does not advertise PKCE with S256, which the MCP authorization spec requires; Gatehouse will not sign in there. Ask the server's operator to enable it.`,
    );
  }
  const endpoints: Array<[string, string | undefined]> = [
    ['authorization endpoint', metadata.authorization_endpoint],
    ['token endpoint', metadata.token_endpoint],
    ['registration endpoint', metadata.registration_endpoint],
  ];
  for (const [name, value] of endpoints) {
    if (value !== undefined) checkUntrustedUrl(value, policy, `the ${name} that the authorization server of ${who} advertised`);
  }
  return { resource: resourceMetadata.resource, resourceMetadata, issuer: metadata.issuer, metadata };
}

function sameResource(requested: URL, configured: string): boolean {
  try {
    return checkResourceAllowed({ requestedResource: requested, configuredResource: configured });
  } catch {
    return false; // not a URL at all
  }
}

/** Runs one discovery request; our own refusals pass through, anything else says which step failed. */
async function step<T>(who: string, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isGatehouseError(error)) throw error;
    const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
    const reason = Array.isArray(issues)
      ? `the document is not valid metadata (${issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`
      : error instanceof Error ? error.message : String(error);
    throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `Gatehouse could not read ${what} for ${who}: ${reason}`, { cause: error });
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
