// auth.mode `id-jag`: MCP enterprise-managed authorization. The user's ID token is exchanged at the
// IdP (RFC 8693) for an Identity Assertion JWT Authorization Grant addressed to the server's
// authorization server, which trades it (RFC 7523 jwt-bearer) for the server's access token. Only
// that access token is cached; the ID-JAG is used once and dropped.
import { GatehouseError } from '../../../../common/errors.js';
import type { GrantResponse } from '../identity-types.js';
import { CachedUpstreamCredentials, type CachedCredentialsOptions, type IssuedToken } from './cached-credentials.js';
import { idpRefusal } from './idp-refusal.js';
import { claimsOf, issuedToken } from './issued-token.js';
import { JwtBearerServer, type JwtBearerServerOptions } from './jwt-bearer-server.js';

export const TOKEN_TYPE_ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';

export interface IdJagOptions extends CachedCredentialsOptions, Omit<JwtBearerServerOptions, 'issuer' | 'serverId'> {
  /** The issuer of the server's authorization server (policy's auth.authorizationServer). */
  readonly authorizationServer: string;
  /** Gatehouse's client id at that authorization server (policy's auth.clientId). */
  readonly clientId: string;
  /** The MCP server the token is for: policy's auth.resource, else the server URL. */
  readonly resource: string;
  readonly scopes?: readonly string[];
}

export class IdJagCredentials extends CachedUpstreamCredentials {
  protected readonly mode = 'id-jag';
  readonly #server: JwtBearerServer;
  readonly #clientId: string;
  readonly #resource: string;
  readonly #scope: string | undefined;

  constructor(options: IdJagOptions) {
    super(options);
    this.#server = new JwtBearerServer({ ...options, issuer: options.authorizationServer, serverId: options.serverId });
    this.#clientId = options.clientId;
    this.#resource = options.resource;
    this.#scope = options.scopes !== undefined && options.scopes.length > 0 ? options.scopes.join(' ') : undefined;
  }

  protected async obtain(): Promise<IssuedToken> {
    // Discovery first: the ID-JAG's audience is the issuer the metadata confirmed.
    const { issuer } = await this.#server.metadata();
    const assertion = await this.#idJag(issuer);
    const answer = await this.#server.grant(assertion, this.#resource);
    return issuedToken(answer, this.clock, this.serverId, `the authorization server ${issuer}`);
  }

  async #idJag(audience: string): Promise<string> {
    let response: GrantResponse;
    try {
      response = await this.identity.exchange({
        subjectTokenType: 'id_token',
        requestedTokenType: TOKEN_TYPE_ID_JAG,
        audience,
        resource: this.#resource,
        ...(this.#scope !== undefined ? { scope: this.#scope } : {}),
      });
    } catch (error) {
      throw idpRefusal(
        error,
        `an ID-JAG for server '${this.serverId}' (authorization server ${audience})`,
        `the IdP must issue Identity Assertion JWT Authorization Grants for that authorization server and resource ${this.#resource} to Gatehouse's client.`,
      );
    }
    if (response.issued_token_type !== TOKEN_TYPE_ID_JAG) {
      throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `the IdP answered the ID-JAG request for server '${this.serverId}' with ${response.issued_token_type ?? 'an unnamed token type'}, not an ID-JAG; ask your IT admin to check the IdP's enterprise-managed authorization settings`);
    }
    // Checked here because the authorization server's refusal would not say why.
    const claims = claimsOf(response.access_token);
    const aud = claims?.aud;
    if (aud !== undefined && !(Array.isArray(aud) ? aud : [aud]).includes(audience)) {
      throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `the IdP issued an ID-JAG for ${String(aud)} instead of ${audience}, so Gatehouse will not send it for server '${this.serverId}'; ask your IT admin to check the IdP's settings for that authorization server`);
    }
    const clientId = claims?.['client_id'];
    if (typeof clientId === 'string' && clientId !== this.#clientId) {
      throw new GatehouseError(
        'GATEHOUSE_UPSTREAM_AUTH_FAILED',
        `the IdP issues ID-JAGs for ${audience} to client id '${clientId}', but policy gives Gatehouse the client id '${this.#clientId}' there (server '${this.serverId}'); ask your IT admin to make the two agree`,
      );
    }
    return response.access_token;
  }
}
