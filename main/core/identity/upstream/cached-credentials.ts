// What every auth mode that derives a server's token from the user's sign-in shares: one access
// token per server, kept in memory only (these tokens live minutes; a restart just gets new ones),
// renewed `leeway` before it expires, obtained by one grant however many requests need it at once,
// and replaced once when the server refuses it. A subclass says only how a token is obtained.
//
// A held token belongs to the user it was obtained for: once the identity session reports nobody
// signed in, or someone else, the token is dropped rather than sent.
import { isGatehouseError } from '../../../../common/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { abortable } from '../abortable.js';
import type { IdentitySession } from '../identity-session.js';
import type { UpstreamCredentials } from '../upstream-credentials.js';

/** The part of the identity session the upstream auth modes use. */
export type UserIdentity = Pick<IdentitySession, 'status' | 'refreshGrant' | 'exchange'>;

/** A token as a mode obtained it. */
export interface IssuedToken {
  readonly accessToken: string;
  /** Epoch ms by the injected clock; undefined when neither expires_in nor a JWT `exp` said. */
  readonly expiresAt: number | undefined;
}

export interface CachedCredentialsOptions {
  /** The policy id of the server: names it in messages and logs. */
  readonly serverId: string;
  readonly identity: UserIdentity;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Renew a token this long before it expires (at most half its lifetime). Default 30 s. */
  readonly leewayMs?: number;
}

export const DEFAULT_LEEWAY_MS = 30_000;
/** A token whose lifetime nobody stated is renewed after this long (or when the server refuses it). */
export const UNKNOWN_LIFETIME_MS = 5 * 60_000;

/** Failures that only delay: a token still within its lifetime keeps being used meanwhile. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['GATEHOUSE_IDP_UNREACHABLE', 'GATEHOUSE_SERVER_UNAVAILABLE']);

interface Held {
  readonly token: string;
  /** The Authorization header value: `Bearer <token>`. */
  readonly header: string;
  readonly subject: string;
  readonly expiresAt: number;
  readonly freshUntil: number;
  /** Obtained because the server refused the one before: if it is refused too, retrying is pointless. */
  readonly replacement: boolean;
}

export abstract class CachedUpstreamCredentials implements UpstreamCredentials {
  /** The auth mode, for logs and messages. */
  protected abstract readonly mode: string;
  protected readonly serverId: string;
  protected readonly identity: UserIdentity;
  protected readonly clock: Clock;
  protected readonly logger: Logger;
  readonly #leewayMs: number;
  #held: Held | undefined;
  #flight: Promise<Held> | undefined;
  /** The last replacement token the server refused: a late request still carrying it gets no retry. */
  #refusedReplacement: string | undefined;

  constructor(options: CachedCredentialsOptions) {
    this.serverId = options.serverId;
    this.identity = options.identity;
    this.clock = options.clock;
    this.logger = options.logger;
    this.#leewayMs = options.leewayMs ?? DEFAULT_LEEWAY_MS;
  }

  /** One grant for this server's token; runs once however many callers are waiting for it. */
  protected abstract obtain(): Promise<IssuedToken>;

  async authorization(signal?: AbortSignal): Promise<string> {
    const subject = await this.#subject();
    const held = this.#heldFor(subject);
    if (held !== undefined && this.clock.now() < held.freshUntil) return held.header;
    try {
      return (await abortable(this.#shared(subject, false), signal)).header;
    } catch (error) {
      // An IdP or authorization server that cannot be reached does not take away a valid token.
      const still = this.#heldFor(subject);
      if (still !== undefined && this.clock.now() < still.expiresAt && isGatehouseError(error) && TRANSIENT_CODES.has(error.code)) {
        this.logger.log('warn', `upstream token: could not renew the token for server '${this.serverId}'; using the current one until it expires`, { server: this.serverId, mode: this.mode, error: error.message });
        return still.header;
      }
      throw error;
    }
  }

  async rejected(challenge: { status: number; wwwAuthenticate: string | undefined; token: string | undefined }, signal?: AbortSignal): Promise<boolean> {
    if (challenge.status !== 401) {
      // 403 insufficient_scope: a new token from the same grant carries the same scopes.
      this.logger.log('warn', `upstream token: server '${this.serverId}' wants more scope than its token carries; ask your IT admin to add it to the server's auth.scopes in policy`, {
        server: this.serverId,
        mode: this.mode,
        status: challenge.status,
      });
      return false;
    }
    const refused = bareToken(challenge.token);
    if (refused === undefined) return false;
    const held = this.#held;
    let replacement = false;
    if (held !== undefined && held.token === refused) {
      this.#held = undefined;
      if (held.replacement) {
        this.#refusedReplacement = refused;
        this.logger.log('warn', `upstream token: server '${this.serverId}' refused a token obtained moments ago; its audience, issuer or keys probably do not match what the server expects (ask your IT admin)`, { server: this.serverId, mode: this.mode });
        return false;
      }
      this.logger.log('info', `upstream token: server '${this.serverId}' refused its token before it expired; obtaining a new one`, { server: this.serverId, mode: this.mode });
      replacement = true;
    } else if (refused === this.#refusedReplacement) {
      return false;
    }
    const subject = await this.#subject();
    const current = this.#heldFor(subject);
    const next = current !== undefined && this.clock.now() < current.freshUntil ? current : await abortable(this.#shared(subject, replacement), signal);
    return next.token !== refused;
  }

  /** The signed-in user's subject; undefined while nobody is signed in. */
  async #subject(): Promise<string | undefined> {
    const status = await this.identity.status();
    return status.signedIn ? status.subject : undefined;
  }

  /** The held token if it belongs to `subject`; otherwise it is dropped. */
  #heldFor(subject: string | undefined): Held | undefined {
    const held = this.#held;
    if (held === undefined || held.subject === subject) return held;
    this.#held = undefined;
    this.logger.log('info', `upstream token: dropped the token for server '${this.serverId}': ${subject === undefined ? 'the user signed out' : 'another user signed in'}`, { server: this.serverId, mode: this.mode });
    return undefined;
  }

  #shared(subject: string | undefined, replacement: boolean): Promise<Held> {
    if (this.#flight === undefined) {
      const flight = this.#obtainHeld(subject, replacement).finally(() => (this.#flight = undefined));
      flight.catch(() => {}); // every caller observes it; this only keeps an abandoned flight quiet
      this.#flight = flight;
    }
    return this.#flight;
  }

  async #obtainHeld(subject: string | undefined, replacement: boolean): Promise<Held> {
    // Nobody signed in: the grant itself fails with GATEHOUSE_SIGN_IN_REQUIRED (and asks the user once).
    const issued = await this.obtain();
    const now = this.clock.now();
    const expiresAt = issued.expiresAt ?? now + UNKNOWN_LIFETIME_MS;
    const lifetime = Math.max(0, expiresAt - now);
    const held: Held = {
      token: issued.accessToken,
      header: `Bearer ${issued.accessToken}`,
      // The subject as it was when the grant started; a sign-in change meanwhile makes the next use drop it.
      subject: subject ?? '',
      expiresAt,
      freshUntil: expiresAt - Math.min(this.#leewayMs, lifetime / 2),
      replacement,
    };
    this.#held = held;
    this.logger.log('debug', `upstream token: obtained a token for server '${this.serverId}'`, {
      server: this.serverId,
      mode: this.mode,
      expiresInSeconds: Math.round(lifetime / 1000),
      ...(issued.expiresAt === undefined ? { lifetime: 'unknown' } : {}),
    });
    return held;
  }
}

/** The token in an Authorization header value (`Bearer xyz`), or the value itself. */
function bareToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^bearer\s+(.+)$/i.exec(value);
  return match ? match[1] : value;
}
