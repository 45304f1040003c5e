// Gatehouse's one door to the IdP, over openid-client: discovery (once, retried while it fails), and
// a Configuration per request that carries the injected clock (as clock skew), a bounded clock
// tolerance, the injected fetch and the http-for-loopback switch.
import * as oidc from 'openid-client';
import type { Clock } from '../ports/clock.js';

export type IdpFetch = oidc.CustomFetch;
export type TokenResponse = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

/** Tolerance for ID token `exp`/`iat`/`nbf` checks: clocks may differ this much before sign-in fails. */
export const CLOCK_TOLERANCE_SECONDS = 300;

export interface OidcClientOptions {
  readonly issuer: URL;
  readonly clientId: string;
  /** Plain http to a loopback issuer (checked by issuer-url.ts before this is set). */
  readonly insecure: boolean;
  readonly clock: Clock;
  readonly fetch?: IdpFetch | undefined;
  readonly timeoutSeconds?: number | undefined;
}

/** A grant that failed after the IdP may already have rotated the refresh token. */
export class GrantFailure extends Error {
  constructor(
    override readonly cause: unknown,
    /** The refresh token the IdP sent in a response that then failed validation; the old one is spent. */
    readonly rotatedRefreshToken: string | undefined,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

export class OidcClient {
  #metadata: oidc.ServerMetadata | undefined;
  #discovering: Promise<oidc.ServerMetadata> | undefined;

  constructor(private readonly options: OidcClientOptions) {}

  /** The IdP's metadata; fetched on first use. A failed discovery is not remembered. */
  async metadata(): Promise<oidc.ServerMetadata> {
    if (this.#metadata !== undefined) return this.#metadata;
    this.#discovering ??= oidc
      .discovery(this.options.issuer, this.options.clientId, undefined, oidc.None(), {
        execute: this.options.insecure ? [oidc.allowInsecureRequests] : [],
        ...(this.options.fetch ? { [oidc.customFetch]: this.options.fetch } : {}),
        timeout: this.options.timeoutSeconds ?? 15,
      })
      .then((config) => (this.#metadata = config.serverMetadata()))
      .finally(() => (this.#discovering = undefined));
    return this.#discovering;
  }

  async configuration(fetch: IdpFetch | undefined = this.options.fetch): Promise<oidc.Configuration> {
    const metadata = await this.metadata();
    const config = new oidc.Configuration(
      metadata,
      this.options.clientId,
      {
        [oidc.clockTolerance]: CLOCK_TOLERANCE_SECONDS,
        // openid-client reads Date.now(); this makes it judge time by the injected clock instead.
        [oidc.clockSkew]: Math.round((this.options.clock.now() - Date.now()) / 1000),
      },
      oidc.None(),
    );
    if (this.options.insecure) oidc.allowInsecureRequests(config);
    if (fetch) config[oidc.customFetch] = fetch;
    config.timeout = this.options.timeoutSeconds ?? 15;
    return config;
  }

  async supportsRevocation(): Promise<boolean> {
    return typeof (await this.metadata()).revocation_endpoint === 'string';
  }

  /** Runs a grant at the token endpoint; if it fails after the IdP issued a new refresh token (an
   *  answer that then failed validation), the GrantFailure carries that token so it is not lost. */
  async grant(run: (config: oidc.Configuration) => Promise<TokenResponse>): Promise<TokenResponse> {
    let rotated: string | undefined;
    const base: IdpFetch = this.options.fetch ?? ((url, init) => fetch(url, init as RequestInit));
    const tap: IdpFetch = async (url, init) => {
      const response = await base(url, init);
      if (response.ok) rotated = await refreshTokenIn(response);
      return response;
    };
    try {
      return await run(await this.configuration(tap));
    } catch (error) {
      throw new GrantFailure(error, rotated);
    }
  }
}

async function refreshTokenIn(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.clone().json();
    const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['refresh_token'] : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
