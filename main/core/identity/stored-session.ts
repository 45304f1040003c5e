// The signed-in user's long-lived secrets, as one JSON entry in the SecretStore (the keychain):
// refresh token and ID token, plus the expiry times `gatehouse whoami` shows. Access tokens are
// never stored; the broker keeps them in memory only. Other processes (login, whoami, logout, the
// broker) share the user's session through this entry and nothing else.
import { z } from 'zod';
import { GatehouseError, isGatehouseError } from '../../../common/errors.js';
import type { Logger } from '../ports/logger.js';
import type { SecretStore } from '../ports/secret-store.js';

const StoredSessionSchema = z.object({
  version: z.literal(1),
  issuer: z.string(),
  clientId: z.string(),
  refreshToken: z.string().min(1),
  idToken: z.string().min(1),
  /** Epoch ms, by the clock of the process that stored it. */
  idTokenExpiresAt: z.number(),
  accessTokenExpiresAt: z.number().optional(),
  updatedAt: z.number(),
});

export type StoredSession = Omit<z.output<typeof StoredSessionSchema>, 'version' | 'issuer' | 'clientId'>;

export class SessionVault {
  readonly account: string;

  constructor(
    private readonly secrets: SecretStore,
    private readonly issuer: string,
    private readonly clientId: string,
    private readonly logger: Logger,
  ) {
    // Per IdP and client, so a policy pointing at another IdP never reuses this one's tokens.
    this.account = `gatehouse.identity:${clientId}@${issuer}`;
  }

  async load(): Promise<StoredSession | undefined> {
    const text = await this.#call('read', () => this.secrets.get(this.account));
    if (text === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const result = StoredSessionSchema.safeParse(parsed);
    if (!result.success || result.data.issuer !== this.issuer || result.data.clientId !== this.clientId) {
      this.logger.log('warn', 'identity: the stored sign-in is unreadable or from another IdP; ignoring it (sign in again)', { account: this.account });
      return undefined;
    }
    const { version: _v, issuer: _i, clientId: _c, ...session } = result.data;
    return session;
  }

  async save(session: StoredSession): Promise<void> {
    const entry = { version: 1 as const, issuer: this.issuer, clientId: this.clientId, ...session };
    await this.#call('write', () => this.secrets.set(this.account, JSON.stringify(entry)));
  }

  async wipe(): Promise<void> {
    await this.#call('delete', () => this.secrets.delete(this.account));
  }

  async #call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isGatehouseError(error)) throw error;
      throw new GatehouseError('GATEHOUSE_KEYCHAIN_UNAVAILABLE', `could not ${what} the sign-in in the secret store: ${(error as Error).message}`, { cause: error });
    }
  }
}
