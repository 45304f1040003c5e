// Which client_id Gatehouse presents to a server's authorization server, in the order the brief and
// the MCP spec prefer: a client IT pre-registered (policy), else Gatehouse's client ID metadata
// document when the server supports that, else a dynamic registration (RFC 7591) made once and kept
// in the keychain. Always a public client: PKCE protects the code, no secret is held.
import { isHttpsUrl, registerClient, type OAuthClientMetadata } from '@modelcontextprotocol/client';
import { GatehouseError, isGatehouseError } from '../../../../common/errors.js';
import type { SafeFetch } from '../../net/safe-fetch.js';
import type { AuthorizationTarget } from './discovery.js';
import type { OAuthUpstreamConfig } from './oauth-config.js';
import type { TokenVault } from './token-vault.js';

export type ClientKind = 'pre-registered' | 'metadata-document' | 'dynamic';

export interface ClientIdentity {
  clientId: string;
  kind: ClientKind;
}

export interface ClientChoiceInput {
  serverId: string;
  config: OAuthUpstreamConfig;
  target: AuthorizationTarget;
  vault: TokenVault;
  fetch: SafeFetch;
  /** The loopback redirect URI of this sign-in, registered when a registration is made. */
  redirectUri: string;
}

export const CLIENT_NAME = 'Gatehouse';

export async function chooseClient(input: ClientChoiceInput): Promise<ClientIdentity> {
  const { config, target, vault, serverId } = input;
  if (config.clientId) return { clientId: config.clientId, kind: 'pre-registered' };

  if (config.clientMetadataUrl && target.metadata['client_id_metadata_document_supported'] === true) {
    if (!isHttpsUrl(config.clientMetadataUrl)) {
      throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `The client metadata URL configured for server "${serverId}" must be an https URL with a path; ask the administrator to fix auth.clientMetadataUrl.`);
    }
    return { clientId: config.clientMetadataUrl, kind: 'metadata-document' };
  }

  const stored = await vault.loadClient(target.issuer);
  if (stored) return { clientId: stored.clientId, kind: 'dynamic' };

  if (!target.metadata.registration_endpoint) {
    throw new GatehouseError(
      'GATEHOUSE_UPSTREAM_AUTH_FAILED',
      `The authorization server of server "${serverId}" (${target.issuer}) offers neither client ID metadata documents nor dynamic registration. Ask the administrator to register Gatehouse there and set auth.clientId in the policy.`,
    );
  }
  const clientMetadata: OAuthClientMetadata = {
    client_name: CLIENT_NAME,
    redirect_uris: [input.redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    // A native app: the server then accepts any loopback port on later sign-ins (RFC 8252 §7.3).
    application_type: 'native',
  };
  try {
    // Only client_id is kept from the response; its other URLs are never used, so never trusted.
    const registered = await registerClient(target.issuer, { metadata: target.metadata, clientMetadata, fetchFn: input.fetch });
    await vault.saveClient({ v: 1, issuer: target.issuer, clientId: registered.client_id, redirectUri: input.redirectUri });
    return { clientId: registered.client_id, kind: 'dynamic' };
  } catch (error) {
    if (isGatehouseError(error)) throw error;
    throw new GatehouseError(
      'GATEHOUSE_UPSTREAM_AUTH_FAILED',
      `The authorization server of server "${serverId}" refused to register Gatehouse as a client (${error instanceof Error ? error.message : String(error)}). Ask the administrator to pre-register a client and set auth.clientId.`,
      { cause: error },
    );
  }
}
