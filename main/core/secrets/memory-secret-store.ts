// Secrets that live as long as the process: the fallback when no keychain can be used, and the
// fake for core tests. It never touches a file.
import type { SecretStore, SecretStoreStatus } from '../ports/secret-store.js';

export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | undefined> {
    return this.secrets.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<void> {
    this.secrets.delete(account);
  }

  status(): SecretStoreStatus {
    return { backend: 'memory' };
  }
}
