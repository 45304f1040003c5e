// The registry of local clients (IDEs) allowed to call the broker, kept in clients.json in the data
// dir. The CLI registers and revokes clients while the broker runs in another process, so the
// broker re-reads the file when it changes instead of trusting what it loaded at startup.
import { timingSafeEqual } from 'node:crypto';
import { WatchedFile } from '../watched-file.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GatehouseError, isGatehouseError } from '../../../common/errors.js';
import { ensureDataDir, writePrivateFile } from '../data-dir.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import { assertValidClientName } from './client-name.js';
import {
  CLIENTS_FILE_NAME,
  emptyClientsFile,
  parseClientsFile,
  serializeClientsFile,
  type ClientsFile,
} from './clients-file.js';
import { withFileLock } from './file-lock.js';
import { generateClientToken, hashClientToken, isWellFormedClientToken } from './token.js';

export interface ClientRecord {
  readonly name: string;
  readonly createdAt: string;
  readonly lastRotatedAt: string;
}

export interface RegisteredClient {
  readonly name: string;
  /** The new token in clear. Shown to nobody: it goes into the IDE's config and is then forgotten. */
  readonly token: string;
}

export interface ClientRegistryOptions {
  readonly dataDir: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Minimum time between two checks of the file on successful authentications. */
  readonly recheckMs?: number;
}

interface LoadedClient {
  readonly record: ClientRecord;
  readonly hash: Buffer;
  /** The token itself once a request proved it, so later requests skip hashing. */
  seen?: Buffer;
}


export class ClientRegistry {
  readonly dataDir: string;
  readonly file: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  // The last good copy: a corrupt file on disk never empties it, so a bad edit cannot lock every
  // IDE out of a running broker.
  #clients: readonly LoadedClient[] = [];
  // Never parses an unchanged file twice, good or bad.
  readonly #watched: WatchedFile;
  #lastError: GatehouseError | undefined;
  #writes: Promise<unknown> = Promise.resolve();

  constructor(options: ClientRegistryOptions) {
    this.dataDir = options.dataDir;
    this.file = path.join(options.dataDir, CLIENTS_FILE_NAME);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#watched = new WatchedFile(this.file, this.#clock, options.recheckMs ?? 250);
  }

  /** Creates the client, or gives an existing one a new token (the old one stops working at once). */
  async register(name: string): Promise<RegisteredClient> {
    assertValidClientName(name);
    return this.#update((data) => {
      const now = new Date(this.#clock.now()).toISOString();
      const token = generateClientToken();
      const existing = Object.hasOwn(data.clients, name) ? data.clients[name] : undefined;
      data.clients[name] = {
        tokenSha256: hashClientToken(token).toString('hex'),
        createdAt: existing?.createdAt ?? now,
        lastRotatedAt: now,
      };
      return { name, token };
    });
  }

  async revoke(name: string): Promise<void> {
    await this.#update((data) => {
      if (!Object.hasOwn(data.clients, name)) {
        const known = Object.keys(data.clients).sort();
        throw new GatehouseError(
          'GATEHOUSE_CLIENT_UNKNOWN',
          `No client named ${JSON.stringify(name.slice(0, 80))} is registered. ` +
            (known.length > 0 ? `Registered clients: ${known.join(', ')}.` : 'No client is registered yet.'),
        );
      }
      delete data.clients[name];
    });
  }

  /** The registered clients, sorted by name, as on disk now. Throws if the file is corrupt. */
  list(): ClientRecord[] {
    this.#refresh(true);
    if (this.#lastError !== undefined) throw this.#lastError;
    return this.#clients.map((c) => c.record).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * The client owning `presentedToken`, or undefined. Never throws: this runs on every request,
   * with whatever an unauthenticated caller sent.
   */
  authenticate(presentedToken: string | undefined): ClientRecord | undefined {
    // The token format is public, so rejecting a malformed one early reveals nothing.
    if (!isWellFormedClientToken(presentedToken)) return undefined;
    this.#refresh(false);
    const presented = Buffer.from(presentedToken);
    const seen = this.#matchSeen(presented);
    if (seen !== undefined) return seen.record;
    const hash = hashClientToken(presentedToken);
    let found = this.#match(hash);
    // A miss may be a client registered a moment ago by the CLI: look at the file before refusing.
    if (found === undefined) {
      this.#refresh(true);
      found = this.#match(hash);
    }
    // Every request carries the token; hashing it each time cost more than the rest of the
    // endpoint's checks. A token proven once is compared as-is from then on, until the file changes
    // (a reload rebuilds the entries, so a revoked or rotated token is forgotten with its entry).
    if (found !== undefined) found.seen = presented;
    return found?.record;
  }

  // Both comparisons visit every entry with no early exit, so the time taken says nothing about
  // which entry (or whether any) matched. Tokens are of one fixed length, so lengths reveal nothing.
  #matchSeen(presented: Buffer): LoadedClient | undefined {
    let found: LoadedClient | undefined;
    for (const client of this.#clients) {
      const equal = client.seen !== undefined && client.seen.length === presented.length && timingSafeEqual(presented, client.seen);
      if (equal && found === undefined) found = client;
    }
    return found;
  }

  #match(hash: Buffer): LoadedClient | undefined {
    let found: LoadedClient | undefined;
    for (const client of this.#clients) {
      const equal = timingSafeEqual(hash, client.hash);
      if (equal && found === undefined) found = client;
    }
    return found;
  }

  #refresh(force: boolean): void {
    try {
      const changed = this.#watched.changed(force);
      if (changed === 'unchanged') return;
      this.#install(changed.text === undefined ? emptyClientsFile() : parseClientsFile(changed.text, this.file));
    } catch (error) {
      this.#lastError = isGatehouseError(error)
        ? error
        : new GatehouseError('GATEHOUSE_CLIENT_INVALID', `Cannot read the client registry ${this.file}: ${String(error)}. Check its permissions.`, {
            cause: error,
          });
      this.#logger.log('error', 'client registry unreadable; keeping the last good copy', {
        file: this.file,
        reason: this.#lastError.message,
      });
    }
  }

  #install(data: ClientsFile): void {
    this.#clients = Object.entries(data.clients).map(([name, stored]) => ({
      record: Object.freeze({ name, createdAt: stored.createdAt, lastRotatedAt: stored.lastRotatedAt }),
      hash: Buffer.from(stored.tokenSha256, 'hex'),
    }));
    this.#lastError = undefined;
  }

  // Read-modify-write under a cross-process lock, from the file as it is now (never from the
  // in-memory copy, which may be up to recheckMs old), queued behind this process's other writes.
  async #update<T>(change: (data: ClientsFile) => T): Promise<T> {
    const run = async (): Promise<T> => {
      await ensureDataDir(this.dataDir);
      return withFileLock(`${this.file}.lock`, async () => {
        const data = await this.#readForUpdate();
        const result = change(data);
        await writePrivateFile(this.file, serializeClientsFile(data));
        this.#install(data);
        this.#watched.forget();
        return result;
      });
    };
    const next = this.#writes.then(run, run);
    this.#writes = next.catch(() => undefined);
    return next;
  }

  // Refuses to rewrite a corrupt file: that would silently drop every client it still lists.
  async #readForUpdate(): Promise<ClientsFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return emptyClientsFile();
      throw error;
    }
    return parseClientsFile(text, this.file);
  }
}
