// auth.mode `token-exchange`: RFC 8693 exchange of the user's IdP access token for a token meant
// for this server (`audience` and `resource` both default to the server URL).
import { GatehouseError } from '../../../../common/errors.js';
import type { GrantResponse } from '../identity-types.js';
import { CachedUpstreamCredentials, type CachedCredentialsOptions, type IssuedToken } from './cached-credentials.js';
import { idpRefusal } from './idp-refusal.js';
import { checkAudience, issuedToken } from './issued-token.js';

export const TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
export const TOKEN_TYPE_JWT = 'urn:ietf:params:oauth:token-type:jwt';
/** What an exchange may hand back for the server: an access token, never an ID or refresh token. */
const ACCEPTED_TYPES: ReadonlySet<string> = new Set([TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_JWT]);

export interface TokenExchangeOptions extends CachedCredentialsOptions {
  readonly audience: string;
  readonly resource: string;
  readonly scopes?: readonly string[];
}

export class TokenExchangeCredentials extends CachedUpstreamCredentials {
  protected readonly mode = 'token-exchange';
  readonly #audience: string;
  readonly #resource: string;
  readonly #scope: string | undefined;

  constructor(options: TokenExchangeOptions) {
    super(options);
    this.#audience = options.audience;
    this.#resource = options.resource;
    this.#scope = options.scopes !== undefined && options.scopes.length > 0 ? options.scopes.join(' ') : undefined;
  }

  protected async obtain(): Promise<IssuedToken> {
    let response: GrantResponse;
    try {
      response = await this.identity.exchange({
        subjectTokenType: 'access_token',
        requestedTokenType: TOKEN_TYPE_ACCESS_TOKEN,
        audience: this.#audience,
        resource: this.#resource,
        ...(this.#scope !== undefined ? { scope: this.#scope } : {}),
      });
    } catch (error) {
      throw idpRefusal(
        error,
        `to exchange your token for one for server '${this.serverId}' (audience ${this.#audience})`,
        `the IdP must allow Gatehouse's client to exchange user tokens (RFC 8693) for this audience, or the server's auth.audience in policy must name one it allows.`,
      );
    }
    const issuedType = response.issued_token_type;
    if (issuedType !== undefined && !ACCEPTED_TYPES.has(issuedType)) {
      throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `the IdP answered the token exchange for server '${this.serverId}' with a ${issuedType}, not an access token; ask your IT admin to check its token exchange settings`);
    }
    const token = issuedToken(response, this.clock, this.serverId, 'the IdP');
    checkAudience(token, [...new Set([this.#audience, this.#resource])], this.serverId, 'the IdP');
    return token;
  }
}
