// The keychain while it works; memory for the rest of the process from its first failure. A
// keychain that is missing, locked, refusing or silent (a locked Secret Service may show a prompt
// nobody answers) must not stop Gatehouse, and secrets must never land in a file instead, so the
// user is told once (log line and status) and secrets are kept in memory only.
import { randomUUID } from 'node:crypto';
import { isGatehouseError } from '../../../common/errors.js';
import type { Logger } from '../ports/logger.js';
import type { SecretStore, SecretStoreStatus } from '../ports/secret-store.js';
import { fromKeyringError, keychainUnavailable } from './keychain-error.js';
import { MemorySecretStore } from './memory-secret-store.js';

export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 5_000;

/** Written, read back and deleted by probe(); holds a random value, never a secret. */
export const PROBE_ACCOUNT = 'gatehouse.keychain-probe';

export interface FallbackSecretStoreOptions {
  readonly keychain: SecretStore;
  readonly logger: Logger;
  /** Longest wait for one keychain call before giving up on the keychain. */
  readonly timeoutMs?: number;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

export class FallbackSecretStore implements SecretStore {
  private readonly keychain: SecretStore;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  // Mirrors what this process stored or read, so a switch to memory mid-session loses nothing the
  // process already had; only read back once the keychain is abandoned.
  private readonly memory = new MemorySecretStore();
  private problem: string | undefined;

  constructor(options: FallbackSecretStoreOptions) {
    this.keychain = options.keychain;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  }

  async get(account: string): Promise<string | undefined> {
    if (this.problem === undefined) {
      const outcome = await this.tryKeychain(() => this.keychain.get(account));
      if (outcome.ok) {
        if (outcome.value === undefined) await this.memory.delete(account);
        else await this.memory.set(account, outcome.value);
        return outcome.value;
      }
    }
    return this.memory.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    if (this.problem === undefined) await this.tryKeychain(() => this.keychain.set(account, secret));
    await this.memory.set(account, secret);
  }

  async delete(account: string): Promise<void> {
    if (this.problem === undefined) await this.tryKeychain(() => this.keychain.delete(account));
    await this.memory.delete(account);
  }

  status(): SecretStoreStatus {
    return this.problem === undefined ? this.keychain.status() : { backend: 'memory', problem: this.problem };
  }

  /** Writes, reads back and deletes a throwaway entry, so the status is known before any secret is stored. */
  async probe(): Promise<void> {
    const value = randomUUID();
    const steps = [
      () => this.keychain.set(PROBE_ACCOUNT, value),
      async () => {
        if ((await this.keychain.get(PROBE_ACCOUNT)) !== value) {
          throw keychainUnavailable('did not return the value just stored in it');
        }
      },
      () => this.keychain.delete(PROBE_ACCOUNT),
    ];
    for (const step of steps) {
      if (this.problem !== undefined || !(await this.tryKeychain(step)).ok) return;
    }
  }

  private async tryKeychain<T>(call: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await this.bounded(call) };
    } catch (error) {
      // Our own other errors (an invalid account name) are bugs for the caller, not keychain trouble.
      if (isGatehouseError(error) && error.code !== 'GATEHOUSE_KEYCHAIN_UNAVAILABLE') throw error;
      this.switchToMemory(isGatehouseError(error) ? error.message : fromKeyringError(error).message);
      return { ok: false };
    }
  }

  // Losing the race does not stop the call (the keyring library cannot cancel one in flight); its
  // late result is ignored, and the store has switched to memory by then anyway.
  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const seconds = this.timeoutMs / 1000;
        reject(keychainUnavailable(`did not answer within ${seconds} s (it may be locked and waiting for its password)`));
      }, this.timeoutMs);
      Promise.resolve()
        .then(call)
        .then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error);
          },
        );
    });
  }

  private switchToMemory(reason: string): void {
    if (this.problem !== undefined) return;
    this.problem =
      `${reason} Until Gatehouse is restarted with a working keychain, secrets are kept in memory only: ` +
      'they are lost when Gatehouse quits, and you will be asked to sign in again.';
    this.logger.log('warn', 'OS keychain unavailable: secrets are kept in memory only and are lost when Gatehouse quits', {
      reason,
    });
  }
}
