// Tool pins of this user profile, in pins.json in the data dir. The broker pins and quarantines
// while `gatehouse tools approve` (another process) re-approves, so every change is a
// read-modify-write of the file under a cross-process lock, and readers re-check the file when it
// changed instead of trusting what they loaded at startup.
//
// A corrupt file (a bad manual edit, a disk error; our own writes are atomic) is neither trusted
// nor fatal. Gatehouse moves it aside as pins.json.corrupt-<time>, keeps every entry that is still
// valid on its own plus the last good copy it had in memory, logs an error and reports the recovery
// (onRecovery) so the user is told. Failing closed instead would hide every tool of every server
// until someone repaired a file most users never open; silently starting empty would re-pin on
// first sight exactly the tools whose pins were lost. Servers whose hashes the policy pins stay
// protected either way: policy, not this file, is their source of truth.
import { randomBytes } from 'node:crypto';
import { WatchedFile } from '../../watched-file.js';
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { withFileLock, type FileLockOptions } from '../../clients/file-lock.js';
import { ensureDataDir, writePrivateFile } from '../../data-dir.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import { entryKey, PINS_FILE_NAME, readPinsFile, serializePinsFile, type PinEntry, type StoredPending, type StoredPin } from './pins-file.js';

export interface PinKey {
  readonly serverId: string;
  readonly serverUrl: string;
  readonly toolName: string;
}

export interface PinsFileRecovery {
  readonly file: string;
  /** Where the unreadable file now is; nothing is deleted. */
  readonly movedTo: string;
  readonly problem: string;
  /** Entries carried over (valid entries of the bad file, else the last good copy in memory). */
  readonly kept: number;
  /** Entries of the bad file that could not be read. */
  readonly dropped: number;
}

export interface PinStoreOptions {
  readonly dataDir: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Minimum time between two checks of the file on the synchronous path (get). */
  readonly recheckMs?: number;
  /** Told when a corrupt pins file was moved aside, so the user can be notified. */
  readonly onRecovery?: (recovery: PinsFileRecovery) => void;
  readonly lock?: FileLockOptions;
}

const keyOf = (key: PinKey): string => entryKey(key.serverId, key.serverUrl, key.toolName);

/** The pins as one read-modify-write sees them; changes are written when the callback returns. */
export class PinTable {
  #changed = false;
  constructor(private readonly entries: Map<string, PinEntry>) {}

  get changed(): boolean {
    return this.#changed;
  }

  markChanged(): void {
    this.#changed = true;
  }

  get(key: PinKey): PinEntry | undefined {
    return this.entries.get(keyOf(key));
  }

  /** Sets what is pinned and pending for `key`; both undefined removes the entry. */
  set(key: PinKey, value: { pin?: StoredPin | undefined; pending?: StoredPending | undefined }): void {
    const k = keyOf(key);
    if (value.pin === undefined && value.pending === undefined) {
      if (this.entries.delete(k)) this.#changed = true;
      return;
    }
    const entry: PinEntry = { server: key.serverId, url: key.serverUrl, tool: key.toolName };
    if (value.pin !== undefined) entry.pin = value.pin;
    if (value.pending !== undefined) entry.pending = value.pending;
    this.entries.set(k, entry);
    this.#changed = true;
  }

  all(): PinEntry[] {
    return [...this.entries.values()];
  }
}

export class PinStore {
  readonly dataDir: string;
  readonly file: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #watched: WatchedFile;
  readonly #onRecovery: ((recovery: PinsFileRecovery) => void) | undefined;
  readonly #lock: FileLockOptions | undefined;
  // The last good copy: a corrupt file never empties it.
  #entries = new Map<string, PinEntry>();
  #loadedGood = false;
  #problem: string | undefined;
  #writes: Promise<unknown> = Promise.resolve();

  constructor(options: PinStoreOptions) {
    this.dataDir = options.dataDir;
    this.file = path.join(options.dataDir, PINS_FILE_NAME);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#watched = new WatchedFile(this.file, this.#clock, options.recheckMs ?? 250);
    this.#onRecovery = options.onRecovery;
    this.#lock = options.lock;
  }

  /** What is pinned and pending for one tool. Synchronous: re-reads the file at most every recheckMs. */
  get(key: PinKey): PinEntry | undefined {
    this.#refresh(false);
    return this.#entries.get(keyOf(key));
  }

  /** Re-reads the file now if it changed (an approval by the CLI, another broker). */
  refresh(): void {
    this.#refresh(true);
  }

  /** Every entry, as on disk now (or the last good copy when the file is unreadable). */
  entries(): PinEntry[] {
    this.#refresh(true);
    return [...this.#entries.values()];
  }

  /** Why the file on disk cannot be used right now (checked now); undefined when it is fine or absent. */
  problem(): string | undefined {
    this.#refresh(true);
    return this.#problem;
  }

  /**
   * Read-modify-write under a cross-process lock, from the file as it is now (never from the
   * in-memory copy), queued behind this process's other writes. The file is written only if
   * `change` changed something.
   */
  async update<T>(change: (table: PinTable) => T): Promise<T> {
    const run = async (): Promise<T> => {
      await ensureDataDir(this.dataDir);
      return withFileLock(
        `${this.file}.lock`,
        async () => {
          const table = await this.#readForUpdate();
          let result: T;
          try {
            result = change(table);
          } catch (error) {
            // A recovery already moved the bad file aside: save what it kept even if this change fails.
            if (table.changed) await writePrivateFile(this.file, serializePinsFile(table.all())).catch(() => undefined);
            throw error;
          }
          if (table.changed) await writePrivateFile(this.file, serializePinsFile(table.all()));
          this.#entries = new Map(table.all().map((entry) => [entryKey(entry.server, entry.url, entry.tool), entry]));
          this.#loadedGood = true;
          this.#problem = undefined;
          this.#watched.forget();
          return result;
        },
        this.#lock,
      );
    };
    const next = this.#writes.then(run, run);
    this.#writes = next.catch(() => undefined);
    return next;
  }

  #refresh(force: boolean): void {
    try {
      const changed = this.#watched.changed(force);
      if (changed === 'unchanged') return;
      if (changed.text === undefined) return this.#install([]);
      const read = readPinsFile(changed.text);
      if (read.ok) return this.#install(read.data.tools);
      this.#problem = `The tool pins file ${this.file} cannot be used: ${read.problem}`;
      // Until the next write recovers the file, use what is still readable, unless a good copy is loaded.
      if (!this.#loadedGood) this.#entries = new Map(read.salvaged.map((e) => [entryKey(e.server, e.url, e.tool), e]));
    } catch (error) {
      this.#problem = `The tool pins file ${this.file} cannot be read (${String(error)}); check its permissions.`;
    }
    this.#logger.log('error', 'tool pins file unusable; keeping the last good copy until Gatehouse next saves pins', { file: this.file, reason: this.#problem });
  }

  #install(entries: readonly PinEntry[]): void {
    this.#entries = new Map(entries.map((e) => [entryKey(e.server, e.url, e.tool), e]));
    this.#loadedGood = true;
    this.#problem = undefined;
  }

  async #readForUpdate(): Promise<PinTable> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return new PinTable(new Map());
      throw error;
    }
    const read = readPinsFile(text);
    if (read.ok) return new PinTable(new Map(read.data.tools.map((e) => [entryKey(e.server, e.url, e.tool), e])));
    return this.#recover(read.problem, read.salvaged, read.dropped);
  }

  // Moves the bad file aside (never deletes it) and starts from the last good copy with the
  // still-valid entries of the bad file on top; the caller's write then replaces the file.
  async #recover(problem: string, salvaged: readonly PinEntry[], dropped: number): Promise<PinTable> {
    const stamp = new Date(this.#clock.now()).toISOString().replace(/[:.]/g, '-');
    const movedTo = `${this.file}.corrupt-${stamp}-${randomBytes(3).toString('hex')}`;
    await rename(this.file, movedTo);
    const merged = new Map(this.#entries);
    for (const entry of salvaged) merged.set(entryKey(entry.server, entry.url, entry.tool), entry);
    const table = new PinTable(merged);
    table.markChanged();
    const recovery: PinsFileRecovery = { file: this.file, movedTo, problem, kept: merged.size, dropped };
    this.#logger.log('error', `the tool pins file was unusable and has been replaced; tools whose pins were lost will be pinned again when next seen. The old file is kept as ${movedTo}`, {
      file: this.file,
      movedTo,
      kept: merged.size,
      dropped,
      problem,
    });
    try {
      this.#onRecovery?.(recovery);
    } catch (error) {
      this.#logger.log('warn', 'could not report the pins file recovery', { error: String(error) });
    }
    return table;
  }
}
