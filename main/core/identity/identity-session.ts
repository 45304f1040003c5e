// One signed-in user at the organisation's IdP: sign-in (authorization code + PKCE, loopback
// redirect, system browser), the user's tokens and roles, and every later use of the refresh token.
//
// Rules this class keeps:
// - Every refresh grant (the plain one and those with `resource` for per-server tokens) runs under one
//   lock, reads the stored refresh token first and stores the rotated one before the lock is released.
// - Concurrent accessToken() calls share one refresh.
// - invalid_grant ends the sign-in (tokens wiped, user asked once to sign in again); an unreachable
//   IdP only delays (backoff, tokens kept, a still-valid access token keeps being served).
// - Tokens live in the SecretStore (refresh + ID token) and in memory (access token); never in logs.
import * as oidc from 'openid-client';
import { GatehouseError, isGatehouseError } from '../../../common/errors.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import type { SecretStore } from '../ports/secret-store.js';
import { silentSignInPrompter, type SignInPrompter } from '../ports/sign-in-prompter.js';
import { abortable } from './abortable.js';
import { newAuthorizationRequest, type AuthorizationRequest } from './authorization-request.js';
import { Backoff } from './backoff.js';
import { exchangeAuthorizationCode, exchangeToken, refusedSubjectToken, withoutRefreshToken } from './grants.js';
import type { IdentityConfig } from './identity-config.js';
import type { GrantResponse, IdentityStatus, RolesListener, SignInOptions, SignOutResult, TokenExchangeRequest } from './identity-types.js';
import { classifyIdpFailure, type IdpFailure } from './idp-failure.js';
import { checkAuthorizationUrl, checkIssuerUrl } from './issuer-url.js';
import { openLoopbackRedirect } from './loopback-redirect.js';
import { GrantFailure, OidcClient, type IdpFetch, type TokenResponse } from './oidc-client.js';
import { SerialLock } from './serial-lock.js';
import { signedInAfter, signedInFromStore, toStored, type Freshness, type SignedIn } from './signed-in.js';
import { SessionVault, type StoredSession } from './stored-session.js';
import type { AuditEventInput } from '../../../common/audit-event.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';

/** Parameters of a refresh grant that only this class may set. */
const RESERVED_REFRESH_PARAMS = new Set(['grant_type', 'refresh_token', 'client_id', 'client_secret']);

export interface IdentitySessionOptions {
  readonly config: IdentityConfig;
  readonly secrets: SecretStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly prompter?: SignInPrompter;
  /** The HTTP client for the IdP; defaults to global fetch. */
  readonly fetch?: IdpFetch;
  /** Allows a plain-http issuer on loopback (the demo IdP, tests); see issuer-url.ts. */
  readonly allowInsecureIssuer?: boolean;
  /** Renew tokens this long before they expire. Default 60 s. */
  readonly refreshLeewayMs?: number;
  /** Timeout of one IdP request. Default 15 s. */
  readonly idpTimeoutSeconds?: number;
  /** Backoff after the IdP could not be reached: first step and ceiling. Defaults 1 s and 5 min. */
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number; readonly random?: () => number };
  /** Records sign-ins, sign-outs, refreshes and failures in the audit trail. */
  readonly audit?: AuditRecorder;
}

type AuthEvent = Pick<AuditEventInput, 'user' | 'code' | 'reason' | 'details'> & { type: 'auth.sign_in' | 'auth.sign_out' | 'auth.refresh' | 'auth.failure' };

export class IdentitySession {
  readonly #config: IdentityConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #prompter: SignInPrompter;
  readonly #secrets: SecretStore;
  readonly #vault: SessionVault;
  readonly #oidc: OidcClient;
  readonly #lock = new SerialLock();
  readonly #backoff: Backoff;
  readonly #leewayMs: number;
  readonly #rolesListeners = new Set<RolesListener>();
  readonly #changeListeners = new Set<() => void>();
  readonly #insecure: boolean;
  readonly #audit: AuditRecorder | undefined;

  #current: SignedIn | undefined;
  #loaded = false;
  /** The refresh token as last read from or written to the store: tells our own writes from another process's. */
  #persistedRefreshToken: string | undefined;
  #sessionRefresh: Promise<SignedIn> | undefined;
  /** Whether the user was already asked to sign in for the present need. */
  #prompted = false;
  /** Why the IdP was last not usable, while backing off. */
  #lastFailure: IdpFailure | undefined;

  constructor(options: IdentitySessionOptions) {
    this.#config = options.config;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#audit = options.audit;
    this.#prompter = options.prompter ?? silentSignInPrompter;
    this.#secrets = options.secrets;
    this.#leewayMs = options.refreshLeewayMs ?? 60_000;
    const issuer = checkIssuerUrl(options.config.issuer, options.allowInsecureIssuer ?? false);
    this.#insecure = issuer.insecure;
    if (issuer.insecure) {
      this.#logger.log('warn', `identity: INSECURE: the IdP ${issuer.url.origin} is reached over plain http (insecure dev issuer); use this only with a test or demo IdP`);
    }
    this.#vault = new SessionVault(options.secrets, options.config.issuer, options.config.clientId, this.#logger);
    this.#oidc = new OidcClient({
      issuer: issuer.url,
      clientId: options.config.clientId,
      insecure: issuer.insecure,
      clock: this.#clock,
      fetch: options.fetch,
      timeoutSeconds: options.idpTimeoutSeconds,
    });
    this.#backoff = new Backoff({ clock: this.#clock, ...options.backoff });
  }

  /** Who is signed in, from this process's memory or, when it holds no sign-in, from the store. */
  async status(): Promise<IdentityStatus> {
    if (this.#current === undefined) await this.#reload();
    const current = this.#current;
    const claims = current?.claims ?? {};
    const text = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string) : undefined);
    return {
      issuer: this.#config.issuer,
      signedIn: current !== undefined,
      subject: current?.subject,
      name: text('name'),
      email: text('email'),
      roles: current?.roles ?? [],
      accessTokenExpiresAt: current?.access?.expiresAt ?? current?.accessTokenExpiresAt,
      idTokenExpiresAt: current?.idTokenExpiresAt,
      ...(this.#backoff.waiting() ? { idpRetryAt: this.#backoff.notBefore } : {}),
      secrets: this.#secrets.status(),
    };
  }

  /** Runs the browser sign-in and keeps its tokens; resolves once they are stored. */
  async signIn(options: SignInOptions): Promise<IdentityStatus> {
    const cancel = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, cancel.signal]) : cancel.signal;
    const redirect = await openLoopbackRedirect();
    try {
      const request = await newAuthorizationRequest(await this.#configuration('sign in'), {
        redirectUri: redirect.redirectUri,
        scopes: this.#config.scopes,
        extraAuthParams: this.#config.extraAuthParams,
        logger: this.#logger,
      });
      checkAuthorizationUrl(request.url, this.#insecure);
      const done = redirect.waitForCallback(request.state, (url) => this.#completeSignIn(url, request), {
        clock: this.#clock,
        timeoutMs: options.timeoutMs ?? 5 * 60_000,
        signal,
      });
      done.catch(() => {}); // observed below; avoids an unhandled rejection if open() fails first
      this.#logger.log('info', 'identity: waiting for the sign-in in the browser', { issuer: this.#config.issuer });
      try {
        await options.opener.open(request.url);
      } catch (error) {
        cancel.abort();
        throw new GatehouseError('GATEHOUSE_SIGN_IN_FAILED', `could not show the sign-in page (${(error as Error).message}); run \`gatehouse login --no-browser\` and open the printed URL yourself`, { cause: error });
      }
      await done;
      return this.status();
    } catch (error) {
      this.#record({ type: 'auth.failure', code: error instanceof GatehouseError ? error.code : 'GATEHOUSE_SIGN_IN_FAILED', reason: `sign-in failed: ${(error as Error).message}` });
      throw error;
    } finally {
      await redirect.close();
    }
  }

  /** Ends the sign-in: revokes the refresh token at the IdP when it can, and wipes it locally anyway. */
  signOut(): Promise<SignOutResult> {
    return this.#lock.run(async () => {
      const refreshToken = (await this.#vault.load())?.refreshToken ?? this.#current?.refreshToken;
      const user = this.#current?.subject;
      let revokedAtIdp = false;
      let problem: string | undefined;
      if (refreshToken !== undefined) {
        try {
          if (await this.#oidc.supportsRevocation()) {
            await oidc.tokenRevocation(await this.#oidc.configuration(), refreshToken, { token_type_hint: 'refresh_token' });
            revokedAtIdp = true;
          } else {
            problem = 'the IdP offers no revocation endpoint, so the sign-in stays valid there until it expires';
          }
        } catch (error) {
          problem = `the IdP could not be told (${classifyIdpFailure(error).detail})`;
        }
      }
      await this.#vault.wipe();
      this.#persistedRefreshToken = undefined;
      this.#setCurrent(undefined);
      this.#logger.log('info', 'identity: signed out', { revokedAtIdp });
      if (refreshToken !== undefined) this.#record({ type: 'auth.sign_out', user, details: { revokedAtIdp } });
      return { wasSignedIn: refreshToken !== undefined, revokedAtIdp, ...(problem !== undefined ? { problem } : {}) };
    });
  }

  /** The user's IdP access token, refreshed when it is about to expire. Throws
   *  GATEHOUSE_SIGN_IN_REQUIRED or GATEHOUSE_IDP_UNREACHABLE when none can be had. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    await this.#ensureLoaded();
    const cached = this.#current?.access;
    if (cached !== undefined && this.#clock.now() < cached.freshUntil) return cached.token;
    try {
      const state = await abortable(this.#refreshSession(), signal);
      return state.access!.token;
    } catch (error) {
      // An IdP that cannot be reached does not take away a token that is still valid.
      const still = this.#current?.access;
      if (isGatehouseError(error) && error.code === 'GATEHOUSE_IDP_UNREACHABLE' && still !== undefined && this.#clock.now() < still.expiresAt) {
        return still.token;
      }
      throw error;
    }
  }

  /** A fresh ID token (for ID-JAG token exchange), refreshed when it is about to expire. */
  async idToken(signal?: AbortSignal): Promise<string> {
    await this.#ensureLoaded();
    const current = this.#current;
    if (current !== undefined && this.#clock.now() < current.idTokenFreshUntil) return current.idToken;
    const state = await abortable(this.#refreshSession(), signal);
    if (this.#clock.now() < state.idTokenFreshUntil) return state.idToken;
    throw new GatehouseError('GATEHOUSE_IDP_ERROR', 'the IdP did not return a new ID token when the sign-in was refreshed; ask your IT admin to have it issue ID tokens on refresh');
  }

  /** A refresh grant with extra parameters (e.g. RFC 8707 `resource`), serialised with every other use
   *  of the refresh token. Returns the IdP's answer without the refresh token. */
  async refreshGrant(params: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<GrantResponse> {
    for (const key of Object.keys(params)) {
      if (RESERVED_REFRESH_PARAMS.has(key)) throw new GatehouseError('GATEHOUSE_INTERNAL', `refreshGrant: '${key}' is set by the identity session`);
    }
    await this.#ensureLoaded();
    const response = await abortable(
      this.#lock.run(() => this.#refreshLocked(params)).then((r) => r.response),
      signal,
    );
    return withoutRefreshToken(response);
  }

  /** RFC 8693 token exchange at the IdP with the user's access token or ID token as subject. */
  async exchange(request: TokenExchangeRequest, signal?: AbortSignal): Promise<GrantResponse> {
    const subject = () => (request.subjectTokenType === 'id_token' ? this.idToken(signal) : this.accessToken(signal));
    try {
      return await abortable(exchangeToken(this.#oidc, request, await subject()), signal);
    } catch (error) {
      // The IdP judges the subject token by its own clock: one still fresh here can have expired
      // there (clock skew, a slow machine). Once more, with a token refreshed for the purpose.
      if (!refusedSubjectToken(error)) throw error;
      await abortable(this.#refreshSession(), signal);
      return abortable(exchangeToken(this.#oidc, request, await subject()), signal);
    }
  }

  /** The roles as last known, without touching the keychain or the IdP; undefined while signed out. */
  currentRoles(): readonly string[] | undefined {
    return this.#current?.roles;
  }

  /** The signed-in user's subject, as last known; undefined while signed out. */
  currentSubject(): string | undefined {
    return this.#current?.subject;
  }

  /** Called whenever someone signs in or out, or the roles change. Returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Called with the new roles whenever they change (sign-in, refresh, sign-out). Returns an unsubscribe. */
  onRolesChanged(listener: RolesListener): () => void {
    this.#rolesListeners.add(listener);
    return () => this.#rolesListeners.delete(listener);
  }

  // ---------------------------------------------------------------------------------------------

  async #ensureLoaded(): Promise<void> {
    // While signed out, look again each time: `gatehouse login` may have run in another process.
    if (!this.#loaded || this.#current === undefined) await this.#reload();
  }

  async #reload(): Promise<void> {
    const stored = await this.#vault.load();
    this.#loaded = true;
    this.#adopt(stored);
  }

  /** Takes over what another process stored (or removed), unless it is what this process wrote. */
  #adopt(stored: StoredSession | undefined): void {
    if (stored?.refreshToken === this.#persistedRefreshToken && (stored === undefined) === (this.#current === undefined)) return;
    this.#persistedRefreshToken = stored?.refreshToken;
    const state = stored === undefined ? undefined : signedInFromStore(stored, this.#config.roleClaim, this.#freshness(), this.#logger);
    if (stored !== undefined && state === undefined) this.#logger.log('warn', 'identity: the stored ID token is unreadable; sign in again');
    this.#setCurrent(state);
  }

  /** The plain refresh, shared by every caller that needs the user's access token or ID token. */
  #refreshSession(): Promise<SignedIn> {
    this.#sessionRefresh ??= this.#lock
      .run(() => this.#refreshLocked({}))
      .then((r) => r.state)
      .finally(() => (this.#sessionRefresh = undefined));
    return this.#sessionRefresh;
  }

  /** One refresh grant; runs only under the lock. */
  async #refreshLocked(params: Readonly<Record<string, string>>): Promise<{ response: TokenResponse; state: SignedIn }> {
    this.#adopt(await this.#vault.load());
    const current = this.#current;
    if (current === undefined) throw this.#signInRequired('You are not signed in to Gatehouse');
    if (this.#backoff.waiting() && this.#lastFailure !== undefined) throw this.#failureError(this.#lastFailure);
    const forSession = Object.keys(params).length === 0;
    let response: TokenResponse;
    try {
      response = await this.#oidc.grant((config) => oidc.refreshTokenGrant(config, current.refreshToken, params));
    } catch (error) {
      const failure = error instanceof GrantFailure ? error : new GrantFailure(error, undefined);
      if (failure.rotatedRefreshToken !== undefined) await this.#keepRotated(current, failure.rotatedRefreshToken);
      throw await this.#refreshFailed(failure.cause, forSession);
    }
    this.#backoff.succeeded();
    this.#lastFailure = undefined;
    const claims = response.claims();
    if (claims !== undefined && claims.sub !== current.subject) {
      await this.#vault.wipe();
      this.#persistedRefreshToken = undefined;
      this.#setCurrent(undefined);
      throw this.#signInRequired('The IdP answered for a different user than the one signed in');
    }
    const state = signedInAfter(
      current,
      {
        refreshToken: response.refresh_token ?? current.refreshToken,
        idToken: response.id_token,
        idTokenClaims: claims,
        accessToken: forSession ? { token: response.access_token, expiresIn: response.expiresIn() } : undefined,
      },
      this.#config.roleClaim,
      this.#freshness(),
      this.#logger,
    );
    await this.#store(state);
    const rotated = response.refresh_token !== undefined && response.refresh_token !== current.refreshToken;
    this.#logger.log('debug', 'identity: refreshed', { forSession, rotated });
    this.#record({ type: 'auth.refresh', user: state.subject, details: { forSession, rotated, roles: state.roles } });
    return { response, state };
  }

  /** The IdP issued a new refresh token in an answer that then failed validation: keep the token. */
  async #keepRotated(current: SignedIn, refreshToken: string): Promise<void> {
    this.#logger.log('warn', 'identity: the IdP rotated the refresh token in an answer that failed validation; keeping the new refresh token');
    await this.#store({ ...current, refreshToken });
  }

  async #refreshFailed(cause: unknown, forSession: boolean): Promise<GatehouseError> {
    const failure = classifyIdpFailure(cause);
    if (failure.kind === 'invalid_grant') {
      // The sign-in is over at the IdP (revoked, expired, reused): nothing to retry with.
      const user = this.#current?.subject;
      await this.#forget();
      this.#record({ type: 'auth.failure', user, code: 'GATEHOUSE_SIGN_IN_REQUIRED', reason: `the sign-in ended at the IdP (${failure.detail})` });
      return this.#signInRequired(`Your sign-in has ended at the IdP (${failure.detail})`);
    }
    // An unreachable IdP is waited for. A refusal of the plain refresh is too (the same request
    // would fail the same way, on every tool call); a refused extra parameter (an unknown
    // `resource`) concerns one server only and must not hold up the others.
    if (failure.kind === 'unreachable' || forSession) {
      this.#backoff.failed();
      this.#lastFailure = failure;
    }
    const error = this.#failureError(failure, cause);
    this.#record({ type: 'auth.failure', user: this.#current?.subject, code: error.code, reason: `could not refresh the sign-in: ${failure.detail}` });
    this.#logger.log(failure.kind === 'unreachable' ? 'warn' : 'error', 'identity: could not refresh the sign-in; keeping it', {
      detail: failure.detail,
      ...(this.#backoff.waiting() ? { retryAt: new Date(this.#backoff.notBefore).toISOString() } : {}),
    });
    return error;
  }

  #failureError(failure: IdpFailure, cause?: unknown): GatehouseError {
    const retry = this.#backoff.waiting() ? `; Gatehouse will try again in ${Math.max(1, Math.ceil((this.#backoff.notBefore - this.#clock.now()) / 1000))} s` : '';
    if (failure.kind === 'unreachable') {
      return new GatehouseError('GATEHOUSE_IDP_UNREACHABLE', `cannot reach the IdP at ${this.#config.issuer} (${failure.detail})${retry}`, { cause });
    }
    return new GatehouseError('GATEHOUSE_IDP_ERROR', `the IdP refused to refresh your sign-in: ${failure.detail}${retry}`, { cause });
  }

  async #forget(): Promise<void> {
    this.#persistedRefreshToken = undefined;
    this.#setCurrent(undefined);
    await this.#vault.wipe();
  }

  async #completeSignIn(callbackUrl: URL, request: AuthorizationRequest): Promise<void> {
    const response = await exchangeAuthorizationCode(this.#oidc, callbackUrl, request, this.#config.clientId);
    const { refresh_token: refreshToken } = response;
    await this.#lock.run(async () => {
      const state = signedInAfter(
        undefined,
        { refreshToken, idToken: response.id_token, idTokenClaims: response.claims(), accessToken: { token: response.access_token, expiresIn: response.expiresIn() } },
        this.#config.roleClaim,
        this.#freshness(),
        this.#logger,
      );
      await this.#store(state);
      this.#backoff.succeeded();
      this.#lastFailure = undefined;
      this.#logger.log('info', 'identity: signed in', { subject: state.subject, roles: state.roles });
      this.#record({ type: 'auth.sign_in', user: state.subject, details: { roles: state.roles, issuer: this.#config.issuer } });
    });
  }

  #record(event: AuthEvent): void {
    void this.#audit?.record({ ...event, decision: event.type === 'auth.failure' ? 'failed' : 'recorded' });
  }

  /** Stores, then makes current: callers hold the lock, so the store never lags a used refresh token. */
  async #store(state: SignedIn): Promise<void> {
    try {
      await this.#vault.save(toStored(state, this.#clock.now()));
      this.#persistedRefreshToken = state.refreshToken;
    } catch (error) {
      // Keep going on what is in memory; the next reload will not mistake the old entry for news.
      this.#logger.log('error', 'identity: could not store the sign-in; it lasts only as long as this process', { error: (error as Error).message });
    }
    this.#setCurrent(state);
  }

  #setCurrent(next: SignedIn | undefined): void {
    const previous = this.#current?.roles ?? [];
    const wasSignedIn = this.#current !== undefined;
    this.#current = next;
    if (next !== undefined) this.#prompted = false;
    const roles = next?.roles ?? [];
    if (roles.length !== previous.length || roles.some((role, i) => role !== previous[i])) {
      for (const listener of this.#rolesListeners) {
        try {
          listener(roles, previous);
        } catch (error) {
          this.#logger.log('error', 'identity: a roles listener failed', { error: (error as Error).message });
        }
      }
    }
    const rolesDiffer = roles.length !== previous.length || roles.some((role, k) => role !== previous[k]);
    if (rolesDiffer || wasSignedIn !== (next !== undefined)) {
      for (const listener of this.#changeListeners) {
        try {
          listener();
        } catch (error) {
          this.#logger.log('error', 'identity: a change listener failed', { error: (error as Error).message });
        }
      }
    }
  }

  #signInRequired(reason: string): GatehouseError {
    if (!this.#prompted) {
      this.#prompted = true;
      this.#prompter.requestSignIn(reason);
    }
    return new GatehouseError('GATEHOUSE_SIGN_IN_REQUIRED', `${reason}. Sign in with \`gatehouse login\` (or Sign in in the Gatehouse app), then try again.`);
  }

  async #configuration(action: string): Promise<oidc.Configuration> {
    try {
      return await this.#oidc.configuration();
    } catch (error) {
      const failure = classifyIdpFailure(error);
      throw new GatehouseError(
        failure.kind === 'unreachable' ? 'GATEHOUSE_IDP_UNREACHABLE' : 'GATEHOUSE_IDP_ERROR',
        `cannot ${action}: the IdP at ${this.#config.issuer} could not be used (${failure.detail})`,
        { cause: error },
      );
    }
  }

  #freshness(): Freshness {
    return { now: this.#clock.now(), leewayMs: this.#leewayMs };
  }
}
