// One browser sign-in: authorization code with PKCE S256, `state`, the RFC 8707 resource in both the
// authorization and the token request, a loopback redirect, and the consent page opened through the
// Opener after the URL guard accepted it. The SDK builds the authorization URL and redeems the code;
// this file decides what to trust and when to give up.
import { randomBytes } from 'node:crypto';
import { exchangeAuthorization, startAuthorization, type OAuthTokens } from '@modelcontextprotocol/client';
import { GatehouseError } from '../../../../common/errors.js';
import type { SafeFetch } from '../../net/safe-fetch.js';
import { assertSafeUrl, type LookupAll } from '../../net/safe-lookup.js';
import type { UrlPolicy } from '../../net/url-guard.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { Opener } from '../../ports/opener.js';
import { chooseClient, type ClientIdentity } from './client-identity.js';
import type { AuthorizationTarget } from './discovery.js';
import { LoopbackCallback } from './loopback-callback.js';
import type { OAuthUpstreamConfig } from './oauth-config.js';
import type { TokenVault } from './token-vault.js';

export interface ConsentInput {
  serverId: string;
  target: AuthorizationTarget;
  scope: string | undefined;
  config: OAuthUpstreamConfig;
  vault: TokenVault;
  fetch: SafeFetch;
  policy: UrlPolicy;
  lookup?: LookupAll;
  opener: Opener;
  clock: Clock;
  logger: Logger;
  timeoutMs: number;
  /** Aborted when the credentials object is closed. */
  signal: AbortSignal;
}

export interface ConsentResult {
  tokens: OAuthTokens;
  client: ClientIdentity;
}

export async function obtainConsent(input: ConsentInput): Promise<ConsentResult> {
  const { target, serverId } = input;
  const stored = await input.vault.loadClient(target.issuer);
  const callback = await LoopbackCallback.listen(stored ? portOf(stored.redirectUri) : undefined);
  try {
    const client = await chooseClient({ ...input, redirectUri: callback.redirectUri });
    const state = randomBytes(32).toString('base64url');
    const { authorizationUrl, codeVerifier } = await startAuthorization(target.issuer, {
      metadata: target.metadata,
      clientInformation: { client_id: client.clientId },
      redirectUrl: callback.redirectUri,
      scope: input.scope,
      state,
      resource: target.resource,
    });
    // The user will see and follow this URL: it gets the same scrutiny as one Gatehouse fetches.
    const shown = await assertSafeUrl(authorizationUrl, input.policy, `the sign-in page of server "${serverId}"`, input.lookup);
    input.logger.log('info', 'opening the browser to authorize an upstream server', { server: serverId, authorizationServer: target.issuer, client: client.kind });
    try {
      await input.opener.open(shown);
    } catch (error) {
      throw new GatehouseError(
        'GATEHOUSE_UPSTREAM_CONSENT_REQUIRED',
        `Server "${serverId}" needs you to authorize Gatehouse in a browser, but no browser could be opened (${error instanceof Error ? error.message : String(error)}). Start Gatehouse where it can open one, then retry.`,
        { cause: error },
      );
    }
    const { code, iss } = await callback.wait(state, { clock: input.clock, timeoutMs: input.timeoutMs, signal: input.signal });
    const tokens = await exchangeAuthorization(target.issuer, {
      metadata: target.metadata,
      clientInformation: { client_id: client.clientId },
      authorizationCode: code,
      iss,
      codeVerifier,
      redirectUri: callback.redirectUri,
      resource: target.resource,
      fetchFn: input.fetch,
    });
    return { tokens, client };
  } finally {
    await callback.close();
  }
}

function portOf(uri: string): number | undefined {
  try {
    const port = Number(new URL(uri).port);
    return port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}
