// The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux) through
// @napi-rs/keyring. Every failure becomes GATEHOUSE_KEYCHAIN_UNAVAILABLE; falling back to memory is
// the caller's decision (fallback-secret-store.ts), never this store's.
//
// What @napi-rs/keyring 2.1 does, found by trying it against gnome-keyring:
// - Without options, Linux entries silently fall back to the kernel keyutils keyring when no Secret
//   Service answers: in memory, lost on reboot, and nobody is told. Entries are pinned to
//   'secret-service' so that case is an error we can report (the option is ignored elsewhere).
// - The AsyncEntry constructor talks D-Bus synchronously (about 5 ms; up to the 2 s D-Bus reply
//   timeout when the service hangs) and keeps a connection open until garbage-collected, so entries
//   are short-lived, one per operation. The operations themselves run off the event loop.
// - An AbortSignal only cancels an operation that has not started yet, so bounding a call in time is
//   done by the caller racing it, not here.
// - Values of 20 KB and more round-trip on Secret Service; chunking exists for Windows.
import type * as Keyring from '@napi-rs/keyring';
import { GatehouseError } from '../../../common/errors.js';
import type { SecretStore, SecretStoreStatus } from '../ports/secret-store.js';
import { chunkAccount, DEFAULT_CHUNK_UNITS, digestOf, layOut, readHead } from './chunked-value.js';
import { fromKeyringError } from './keychain-error.js';

export const DEFAULT_KEYCHAIN_SERVICE = 'dev.gatehouse.app';

export interface KeyringSecretStoreOptions {
  /** The keychain's service name; tests use a unique one. */
  readonly service?: string;
  /** UTF-16 code units per keychain entry (see chunked-value.ts). */
  readonly chunkUnits?: number;
}

// Loaded on first use so a platform without a prebuilt binary gets a keychain error (and memory
// fallback) instead of a core that cannot start.
let keyring: Promise<typeof Keyring> | undefined;
function loadKeyring(): Promise<typeof Keyring> {
  keyring ??= import('@napi-rs/keyring');
  return keyring;
}

export class KeyringSecretStore implements SecretStore {
  readonly service: string;
  private readonly chunkUnits: number;
  // Operations on one account run one after another: a chunked write interleaved with another
  // write or a delete of the same account would leave a manifest pointing at foreign chunks.
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: KeyringSecretStoreOptions = {}) {
    this.service = options.service ?? DEFAULT_KEYCHAIN_SERVICE;
    this.chunkUnits = options.chunkUnits ?? DEFAULT_CHUNK_UNITS;
  }

  async get(account: string): Promise<string | undefined> {
    return this.serially(account, () => this.read(account));
  }

  async set(account: string, secret: string): Promise<void> {
    return this.serially(account, () => this.write(account, secret));
  }

  async delete(account: string): Promise<void> {
    return this.serially(account, () => this.remove(account));
  }

  status(): SecretStoreStatus {
    return { backend: 'keychain' };
  }

  private async read(account: string): Promise<string | undefined> {
    const stored = await this.getEntry(account);
    if (stored === undefined) return undefined;
    const head = readHead(stored);
    if (head === undefined) return undefined;
    if (head.kind === 'inline') return head.value;
    const indexes = Array.from({ length: head.manifest.chunks }, (_, i) => i + 1);
    const parts = await Promise.all(indexes.map((i) => this.getEntry(chunkAccount(account, i))));
    if (parts.some((part) => part === undefined)) return undefined;
    const secret = parts.join('');
    // A torn value is treated as absent: the caller then asks the user to sign in again, which is
    // better than sending a corrupt token upstream.
    return digestOf(secret) === head.manifest.sha256 ? secret : undefined;
  }

  private async write(account: string, secret: string): Promise<void> {
    const before = await this.chunkCount(account);
    const { head, chunks } = layOut(secret, this.chunkUnits);
    // Chunks first, manifest last: until the manifest is written, readers still see the old value.
    for (const [i, chunk] of chunks.entries()) await this.setEntry(chunkAccount(account, i + 1), chunk);
    await this.setEntry(account, head);
    for (let i = chunks.length + 1; i <= before; i++) await this.deleteEntry(chunkAccount(account, i));
  }

  private async remove(account: string): Promise<void> {
    const chunks = await this.chunkCount(account);
    await this.deleteEntry(account);
    for (let i = 1; i <= chunks; i++) await this.deleteEntry(chunkAccount(account, i));
  }

  private async chunkCount(account: string): Promise<number> {
    const stored = await this.getEntry(account);
    const head = stored === undefined ? undefined : readHead(stored);
    return head?.kind === 'chunked' ? head.manifest.chunks : 0;
  }

  private async getEntry(name: string): Promise<string | undefined> {
    const entry = await this.entry(name);
    try {
      return (await entry.getPassword()) ?? undefined;
    } catch (error) {
      throw fromKeyringError(error);
    }
  }

  private async setEntry(name: string, value: string): Promise<void> {
    const entry = await this.entry(name);
    try {
      await entry.setPassword(value);
    } catch (error) {
      throw fromKeyringError(error);
    }
  }

  private async deleteEntry(name: string): Promise<void> {
    const entry = await this.entry(name);
    try {
      await entry.deleteCredential();
    } catch (error) {
      throw fromKeyringError(error);
    }
  }

  private async entry(name: string): Promise<Keyring.AsyncEntry> {
    try {
      const { AsyncEntry } = await loadKeyring();
      return new AsyncEntry(this.service, name, { linux: { store: 'secret-service' } });
    } catch (error) {
      throw fromKeyringError(error);
    }
  }

  private serially<T>(account: string, task: () => Promise<T>): Promise<T> {
    checkAccount(account);
    const previous = this.queues.get(account) ?? Promise.resolve();
    const result = previous.then(task);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(account, done);
    void done.then(() => {
      if (this.queues.get(account) === done) this.queues.delete(account);
    });
    return result;
  }
}

// '#' separates an account from its chunk number; allowing it would let account "a#1" overwrite
// the first chunk of account "a".
function checkAccount(account: string): void {
  if (account === '' || account.includes('#')) {
    throw new GatehouseError('GATEHOUSE_INTERNAL', `Invalid keychain account name ${JSON.stringify(account)}: it must be non-empty and contain no "#".`);
  }
}
