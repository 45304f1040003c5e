// One authorization request (authorization code + PKCE S256, state, nonce), built with openid-client.
// Policy's extraAuthParams are added, but never in place of a parameter that carries the request's
// security or routing.
import * as oidc from 'openid-client';
import type { Logger } from '../ports/logger.js';

const PROTECTED = new Set(['client_id', 'redirect_uri', 'response_type', 'response_mode', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'request', 'request_uri']);

export interface AuthorizationRequest {
  readonly url: URL;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export async function newAuthorizationRequest(
  config: oidc.Configuration,
  options: { redirectUri: string; scopes: readonly string[]; extraAuthParams: Readonly<Record<string, string>>; logger: Logger },
): Promise<AuthorizationRequest> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.extraAuthParams)) {
    if (PROTECTED.has(key)) options.logger.log('warn', `identity: ignoring extraAuthParams.${key}; Gatehouse sets it itself`);
    else params[key] = value;
  }
  Object.assign(params, {
    redirect_uri: options.redirectUri,
    scope: options.scopes.join(' '),
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: oidc.buildAuthorizationUrl(config, params), state, nonce, codeVerifier };
}
