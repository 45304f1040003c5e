// The grants the identity session runs besides refresh: the authorization code exchange that ends a
// sign-in, and RFC 8693 token exchange. Each turns openid-client's failures into Gatehouse errors.
import * as oidc from 'openid-client';
import { GatehouseError } from '../../../common/errors.js';
import type { AuthorizationRequest } from './authorization-request.js';
import type { GrantResponse, TokenExchangeRequest } from './identity-types.js';
import { classifyIdpFailure } from './idp-failure.js';
import { GrantFailure, type OidcClient, type TokenResponse } from './oidc-client.js';

export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const SUBJECT_TOKEN_TYPES = {
  access_token: 'urn:ietf:params:oauth:token-type:access_token',
  id_token: 'urn:ietf:params:oauth:token-type:id_token',
} as const;

/** Exchanges the code of the browser's callback (PKCE, state, nonce checked); insists on a refresh token. */
export async function exchangeAuthorizationCode(client: OidcClient, callbackUrl: URL, request: AuthorizationRequest, clientId: string): Promise<TokenResponse & { refresh_token: string }> {
  let response: TokenResponse;
  try {
    response = await client.grant((config) =>
      oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      }),
    );
  } catch (error) {
    const failure = classifyIdpFailure(error instanceof GrantFailure ? error.cause : error);
    throw new GatehouseError(failure.kind === 'unreachable' ? 'GATEHOUSE_IDP_UNREACHABLE' : 'GATEHOUSE_SIGN_IN_FAILED', `sign-in failed: ${failure.detail}`, { cause: error });
  }
  if (response.refresh_token === undefined) {
    throw new GatehouseError(
      'GATEHOUSE_SIGN_IN_FAILED',
      `the IdP issued no refresh token, so Gatehouse could not stay signed in; ask your IT admin to allow refresh tokens (scope offline_access) for client '${clientId}'`,
    );
  }
  return response as TokenResponse & { refresh_token: string };
}

/** Whether a failed exchangeToken was the IdP refusing the subject token itself (invalid_grant). */
export function refusedSubjectToken(error: unknown): boolean {
  if (!(error instanceof GatehouseError) || error.code !== 'GATEHOUSE_IDP_ERROR') return false;
  const cause = error.cause instanceof GrantFailure ? error.cause.cause : error.cause;
  return classifyIdpFailure(cause).kind === 'invalid_grant';
}

/** RFC 8693 token exchange with `subjectToken` (of the request's subject type). */
export async function exchangeToken(client: OidcClient, request: TokenExchangeRequest, subjectToken: string): Promise<GrantResponse> {
  const params: Record<string, string> = {
    ...request.extraParams,
    subject_token: subjectToken,
    subject_token_type: SUBJECT_TOKEN_TYPES[request.subjectTokenType],
  };
  if (request.requestedTokenType !== undefined) params['requested_token_type'] = request.requestedTokenType;
  if (request.audience !== undefined) params['audience'] = request.audience;
  if (request.resource !== undefined) params['resource'] = request.resource;
  if (request.scope !== undefined) params['scope'] = request.scope;
  try {
    return withoutRefreshToken(await client.grant((config) => oidc.genericGrantRequest(config, TOKEN_EXCHANGE_GRANT_TYPE, params)));
  } catch (error) {
    const failure = classifyIdpFailure(error instanceof GrantFailure ? error.cause : error);
    if (failure.kind === 'unreachable') throw new GatehouseError('GATEHOUSE_IDP_UNREACHABLE', `cannot reach the IdP for a token exchange (${failure.detail})`, { cause: error });
    throw new GatehouseError('GATEHOUSE_IDP_ERROR', `the IdP refused the token exchange: ${failure.detail}`, { cause: error });
  }
}

/** The answer as callers may see it: the refresh token stays inside the identity session. */
export function withoutRefreshToken(response: TokenResponse): GrantResponse {
  const entries = Object.entries(response).filter(([key, value]) => key !== 'refresh_token' && typeof value !== 'function');
  return Object.fromEntries(entries) as unknown as GrantResponse;
}
