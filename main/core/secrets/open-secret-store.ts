// The SecretStore the hosts use: the OS keychain, probed once at start so that status, whoami and
// the log tell the truth before the first sign-in rather than after it.
import type { Logger } from '../ports/logger.js';
import type { SecretStore } from '../ports/secret-store.js';
import { FallbackSecretStore } from './fallback-secret-store.js';
import { KeyringSecretStore } from './keyring-secret-store.js';

export interface OpenSecretStoreOptions {
  /** Keychain service name; defaults to DEFAULT_KEYCHAIN_SERVICE. */
  readonly service?: string;
  readonly logger: Logger;
  /** Longest wait for one keychain call; defaults to DEFAULT_KEYCHAIN_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

export async function openSecretStore(options: OpenSecretStoreOptions): Promise<SecretStore> {
  const store = new FallbackSecretStore({
    keychain: new KeyringSecretStore({ service: options.service }),
    logger: options.logger,
    timeoutMs: options.timeoutMs,
  });
  await store.probe();
  return store;
}
