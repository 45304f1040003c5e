// Where refresh tokens, upstream tokens and OAuth client registrations live. The desktop and the CLI
// use the OS keychain; when it is missing, locked or refuses, secrets stay in memory only and the
// user is told once. Nothing that implements this port may write a secret to a file.
export type SecretBackend = 'keychain' | 'memory';

export interface SecretStoreStatus {
  backend: SecretBackend;
  /** Why the keychain is not in use, in words for the user; absent while the keychain works. */
  problem?: string;
}

export interface SecretStore {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
  status(): SecretStoreStatus;
}
