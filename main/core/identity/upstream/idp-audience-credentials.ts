// auth.mode `idp-audience`: a refresh grant at the enterprise IdP with the RFC 8707 `resource` of
// this server, so the IdP issues a token whose audience is this server alone. The grant runs
// inside the identity session, under its refresh-token lock; the refresh token never leaves it.
import type { GrantResponse } from '../identity-types.js';
import { CachedUpstreamCredentials, type CachedCredentialsOptions, type IssuedToken } from './cached-credentials.js';
import { idpRefusal } from './idp-refusal.js';
import { checkAudience, issuedToken } from './issued-token.js';

export interface IdpAudienceOptions extends CachedCredentialsOptions {
  /** The RFC 8707 resource: policy's auth.resource, else the server URL. */
  readonly resource: string;
  readonly scopes?: readonly string[];
}

export class IdpAudienceCredentials extends CachedUpstreamCredentials {
  protected readonly mode = 'idp-audience';
  readonly #resource: string;
  readonly #scope: string | undefined;

  constructor(options: IdpAudienceOptions) {
    super(options);
    this.#resource = options.resource;
    this.#scope = options.scopes !== undefined && options.scopes.length > 0 ? options.scopes.join(' ') : undefined;
  }

  protected async obtain(): Promise<IssuedToken> {
    let response: GrantResponse;
    try {
      response = await this.identity.refreshGrant({ resource: this.#resource, ...(this.#scope !== undefined ? { scope: this.#scope } : {}) });
    } catch (error) {
      throw idpRefusal(
        error,
        `a token for server '${this.serverId}' (resource ${this.#resource})`,
        `the IdP must issue access tokens for this resource to Gatehouse's client (RFC 8707 resource indicators, refresh grant), or the server's auth mode must change.`,
      );
    }
    const token = issuedToken(response, this.clock, this.serverId, 'the IdP');
    checkAudience(token, [this.#resource], this.serverId, 'the IdP');
    return token;
  }
}
