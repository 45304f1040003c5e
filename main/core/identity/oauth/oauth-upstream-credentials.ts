// The `oauth` upstream auth mode: the MCP authorization spec for a server outside the company IdP.
// One instance per server. It hands the upstream layer a bearer token for that server only, gets
// one by browser consent the first time (or on a 401), keeps it in the keychain, refreshes it when
// it expires, and re-authorizes with a wider scope when the server answers 403 insufficient_scope.
// Sign-ins and refreshes are single-flight: concurrent callers share one, so one browser window.
import { refreshAuthorization, resourceUrlFromServerUrl, type OAuthTokens } from '@modelcontextprotocol/client';
import { GatehouseError } from '../../../../common/errors.js';
import { createSafeFetch, type SafeFetch } from '../../net/safe-fetch.js';
import { bareHostname, type UrlPolicy } from '../../net/url-guard.js';
import type { UpstreamCredentials } from '../upstream-credentials.js';
import { coversScopes, parseChallenge, scopeKey, unionScopes, type Challenge } from './challenge.js';
import type { ClientIdentity } from './client-identity.js';
import { obtainConsent } from './consent.js';
import { discoverAuthorization, ResourceMetadataNotFound, type AuthorizationTarget } from './discovery.js';
import type { OAuthUpstreamDeps } from './oauth-config.js';
import { consentFailure, isGrantGone, refreshFailure } from './oauth-errors.js';
import { TokenVault, type StoredTokens } from './token-vault.js';

const DEFAULT_CONSENT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_CONSENT_RETRY_MS = 30_000;
/** A token is renewed this long before it expires, so it does not lapse in flight. */
const EXPIRY_SKEW_MS = 30_000;
/** A server refusing a token it made us fetch moments ago is misconfigured: do not loop on it. */
const FRESH_CONSENT_MS = 60_000;

/** A sign-in or refresh in progress, shared by every caller that needs a token meanwhile. */
type Flight = Promise<StoredTokens>;

export class OAuthUpstreamCredentials implements UpstreamCredentials {
  private readonly serverUrl: URL;
  private readonly policy: UrlPolicy;
  private readonly fetch: SafeFetch;
  private readonly vault: TokenVault;
  private readonly closing = new AbortController();
  private loading: Promise<void> | undefined;
  private tokens: StoredTokens | undefined;
  private target: AuthorizationTarget | undefined;
  private resourceMetadataUrl: URL | undefined;
  private challengeScope: string | undefined;
  private flight: Flight | undefined;
  /** Scope sets a step-up was started for: each distinct set is tried once. */
  private readonly stepUps = new Set<string>();
  /** After a declined or abandoned consent: no new browser window before `until`. */
  private holdOff: { until: number } | undefined;
  /** A browser consent is under way (a flight may start as a refresh and end as a consent). */
  private consenting = false;

  constructor(private readonly deps: OAuthUpstreamDeps) {
    this.serverUrl = resourceUrlFromServerUrl(deps.serverUrl);
    // The server's own host is vouched for by the policy that names it (an internal MCP server may
    // well live on a private address); everything the server advertises is judged on its own.
    const ownHost = bareHostname(this.serverUrl);
    this.policy = { allowLoopbackHttp: deps.config.allowLoopbackHttp, allowedHosts: [...(deps.config.allowedHosts ?? []), ownHost] };
    this.fetch = createSafeFetch({ dispatcher: deps.dispatcher, policy: this.policy, lookup: deps.lookup, what: `a URL that server "${deps.serverId}" advertised` });
    this.vault = new TokenVault(deps.secrets, deps.serverId, this.serverUrl.href, deps.logger);
  }

  async authorization(signal?: AbortSignal): Promise<string | undefined> {
    await this.ready();
    // From here to start(), no await: concurrent callers either see fresh tokens or one flight.
    const tokens = this.tokens;
    if (tokens && this.isFresh(tokens)) return bearer(tokens);
    const flight = this.flight ?? this.start(() => this.renew(tokens));
    try {
      return bearer(await this.join(flight, signal));
    } catch (error) {
      // Nothing at the well-known location yet: send this request bare, and the server's 401 will
      // say where its metadata is (rejected() then signs in). The request carries no credential.
      if (error instanceof ResourceMetadataNotFound && !this.resourceMetadataUrl) return undefined;
      throw error;
    }
  }

  async rejected(challenge: { status: number; wwwAuthenticate: string | undefined; token: string | undefined }, signal?: AbortSignal): Promise<boolean> {
    const parsed = parseChallenge(challenge.wwwAuthenticate);
    if (parsed.resourceMetadataUrl && parsed.resourceMetadataUrl.href !== this.resourceMetadataUrl?.href) {
      this.resourceMetadataUrl = parsed.resourceMetadataUrl;
      this.target = undefined;
    }
    if (challenge.status === 401) return this.onUnauthorized(challenge.token, parsed, signal);
    if (challenge.status === 403 && parsed.error === 'insufficient_scope') return this.onInsufficientScope(challenge.token, parsed.scope, signal);
    return false;
  }

  /** Cancels a pending sign-in (closing its loopback listener) and waits for it to end. */
  async close(): Promise<void> {
    this.closing.abort(new Error('Gatehouse is shutting down'));
    await this.flight?.catch(() => undefined);
  }

  private async onUnauthorized(token: string | undefined, parsed: Challenge, signal: AbortSignal | undefined): Promise<boolean> {
    if (parsed.scope) this.challengeScope = parsed.scope;
    await this.ready();
    for (;;) {
      if (this.flight) {
        try {
          await this.join(this.flight, signal);
          return true;
        } catch (error) {
          // That attempt could not find the metadata; this challenge just said where it is.
          if (error instanceof ResourceMetadataNotFound && this.resourceMetadataUrl) continue;
          throw error;
        }
      }
      const tokens = this.tokens;
      if (tokens && tokens.accessToken !== token && this.isFresh(tokens)) return true; // already replaced
      if (tokens && tokens.accessToken === token && tokens.obtainedBy === 'consent' && this.deps.clock.now() - tokens.obtainedAt < FRESH_CONSENT_MS) {
        this.deps.logger.log('warn', 'upstream refused a token it had just authorized; not signing in again', { server: this.deps.serverId });
        return false;
      }
      // The server may have moved to another authorization server: look again. The refused access
      // token is never offered again, here or after a restart.
      this.target = undefined;
      const refused = tokens ? { ...tokens, expiresAt: 0 } : undefined;
      const flight = this.start(async () => {
        if (refused) await this.keep(refused);
        return this.renew(refused);
      });
      await this.join(flight, signal);
      return true;
    }
  }

  private async onInsufficientScope(token: string | undefined, needed: string | undefined, signal: AbortSignal | undefined): Promise<boolean> {
    if (!needed) return false;
    await this.ready();
    // Whatever is in flight (a refresh, another caller's step-up) finishes first; then judge again.
    while (this.flight) {
      await this.join(this.flight, signal).catch(() => undefined);
      signal?.throwIfAborted();
    }
    const tokens = this.tokens;
    if (tokens && tokens.accessToken !== token && this.isFresh(tokens) && coversScopes(tokens.scope, needed)) return true;
    const wanted = unionScopes(tokens?.requestedScope ?? this.chosenScope(), needed);
    const key = scopeKey(wanted);
    if (this.stepUps.has(key)) return false; // this exact set was tried; the server still says no
    this.stepUps.add(key);
    // A refresh cannot widen a grant (RFC 6749 §6): step-up is a fresh consent with the union.
    this.deps.logger.log('info', 'upstream asks for more scope; re-authorizing', { server: this.deps.serverId, scope: needed });
    const flight = this.start(() => this.consent(wanted));
    // Tried means granted-but-insufficient; a declined or abandoned step-up may be asked again later.
    flight.catch(() => this.stepUps.delete(key));
    await this.join(flight, signal);
    return true;
  }

  /** Reads the stored tokens once; afterwards this.tokens is the truth and is read synchronously. */
  private ready(): Promise<void> {
    this.loading ??= this.vault.loadTokens().then((stored) => {
      this.tokens ??= stored;
    });
    return this.loading;
  }

  private isFresh(tokens: StoredTokens): boolean {
    return tokens.expiresAt === undefined || this.deps.clock.now() < tokens.expiresAt - EXPIRY_SKEW_MS;
  }

  private start(run: () => Promise<StoredTokens>): Flight {
    const flight: Flight = run().finally(() => {
      if (this.flight === flight) this.flight = undefined;
    });
    flight.catch(() => undefined); // callers who gave up must not leave it unhandled
    this.flight = flight;
    return flight;
  }

  /** Waits for a shared sign-in or refresh; a caller's abort ends only its own wait. */
  private join(flight: Flight, signal: AbortSignal | undefined): Promise<StoredTokens> {
    if (!signal) return flight;
    return new Promise<StoredTokens>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.consenting) return reject(signal.reason);
        reject(new GatehouseError('GATEHOUSE_UPSTREAM_CONSENT_REQUIRED', `Gatehouse is waiting for you to authorize access to server "${this.deps.serverId}" in your browser. Approve it there, then retry the request.`));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      flight.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async renew(tokens: StoredTokens | undefined): Promise<StoredTokens> {
    if (!tokens?.refreshToken) return this.consent(tokens?.requestedScope);
    const target = await this.discover();
    if (target.issuer !== tokens.issuer || target.resource !== tokens.resource) {
      // Never hand a refresh token to an authorization server other than the one that issued it.
      this.deps.logger.log('info', 'upstream moved to another authorization server; signing in again', { server: this.deps.serverId });
      await this.forgetTokens();
      return this.consent(tokens.requestedScope);
    }
    try {
      const fresh = await refreshAuthorization(target.issuer, {
        metadata: target.metadata,
        clientInformation: { client_id: tokens.clientId },
        refreshToken: tokens.refreshToken,
        resource: target.resource,
        fetchFn: this.fetch,
      });
      this.deps.logger.log('debug', 'refreshed upstream OAuth token', { server: this.deps.serverId });
      return await this.keep(this.record(fresh, target, tokens.clientId, tokens.requestedScope, 'refresh', tokens.scope));
    } catch (error) {
      const gone = isGrantGone(error);
      if (!gone) throw refreshFailure(error, this.deps.serverId);
      if (gone.clientGone && (await this.vault.loadClient(target.issuer))?.clientId === tokens.clientId) await this.vault.forgetClient(target.issuer);
      await this.forgetTokens();
      return this.consent(tokens.requestedScope);
    }
  }

  private async consent(scope: string | undefined): Promise<StoredTokens> {
    const timeoutMs = this.deps.consentTimeoutMs ?? DEFAULT_CONSENT_TIMEOUT_MS;
    if (this.closing.signal.aborted) throw consentFailure(this.closing.signal.reason, this.deps.serverId, timeoutMs, true).error;
    if (this.holdOff && this.deps.clock.now() < this.holdOff.until) {
      const seconds = Math.ceil((this.holdOff.until - this.deps.clock.now()) / 1000);
      throw new GatehouseError('GATEHOUSE_UPSTREAM_CONSENT_REQUIRED', `Access to server "${this.deps.serverId}" was not granted in the browser a moment ago. Retry in ${seconds} s and Gatehouse will ask again.`);
    }
    try {
      const target = await this.discover();
      const wanted = withOfflineAccess(scope ?? this.chosenScope(target), target);
      this.consenting = true;
      const { tokens, client } = await obtainConsent({
        ...this.deps,
        target,
        scope: wanted,
        vault: this.vault,
        fetch: this.fetch,
        policy: this.policy,
        timeoutMs,
        signal: this.closing.signal,
      });
      this.holdOff = undefined;
      return await this.keep(this.record(tokens, target, client.clientId, wanted, 'consent'));
    } catch (error) {
      const failure = consentFailure(error, this.deps.serverId, timeoutMs, this.closing.signal.aborted);
      if (failure.holdOff) this.holdOff = { until: this.deps.clock.now() + (this.deps.consentRetryMs ?? DEFAULT_CONSENT_RETRY_MS) };
      throw failure.error;
    } finally {
      this.consenting = false;
    }
  }

  private async discover(): Promise<AuthorizationTarget> {
    this.target ??= await discoverAuthorization({
      serverId: this.deps.serverId,
      serverUrl: this.serverUrl,
      resourceMetadataUrl: this.resourceMetadataUrl,
      fetch: this.fetch,
      policy: this.policy,
    });
    return this.target;
  }

  /** The MCP spec's scope selection: policy and challenge first, else what the server advertises. */
  private chosenScope(target?: AuthorizationTarget): string | undefined {
    return unionScopes(this.deps.config.scopes?.join(' '), this.challengeScope) ?? target?.resourceMetadata.scopes_supported?.join(' ');
  }

  private record(tokens: OAuthTokens, target: AuthorizationTarget, clientId: ClientIdentity['clientId'], requested: string | undefined, by: StoredTokens['obtainedBy'], previousScope?: string): StoredTokens {
    if (tokens.token_type.toLowerCase() !== 'bearer') {
      throw new GatehouseError('GATEHOUSE_UPSTREAM_AUTH_FAILED', `The authorization server of server "${this.deps.serverId}" issued a ${tokens.token_type} token; Gatehouse supports only Bearer tokens for the oauth mode.`);
    }
    const now = this.deps.clock.now();
    return {
      v: 1,
      serverId: this.deps.serverId,
      serverUrl: this.serverUrl.href,
      resource: target.resource,
      issuer: target.issuer,
      clientId,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: tokens.expires_in !== undefined ? now + tokens.expires_in * 1000 : undefined,
      scope: tokens.scope ?? previousScope ?? requested,
      requestedScope: requested,
      obtainedAt: now,
      obtainedBy: by,
    };
  }

  private async keep(tokens: StoredTokens): Promise<StoredTokens> {
    this.tokens = tokens;
    await this.vault.saveTokens(tokens);
    return tokens;
  }

  private async forgetTokens(): Promise<void> {
    this.tokens = undefined;
    await this.vault.forgetTokens();
  }
}

function bearer(tokens: StoredTokens): string {
  return `Bearer ${tokens.accessToken}`;
}

/** Ask for a refresh token where the server offers one, so consent is needed once, not hourly. */
function withOfflineAccess(scope: string | undefined, target: AuthorizationTarget): string | undefined {
  return target.metadata.scopes_supported?.includes('offline_access') ? unionScopes(scope, 'offline_access') : scope;
}
