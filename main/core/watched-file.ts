// A small file another process may rewrite (clients.json, pins.json), read again only when it changed
// and at most every `recheckMs` on the synchronous path: a stat per check, a read per change.
import { readFileSync, statSync } from 'node:fs';
import type { Clock } from './ports/clock.js';

const ABSENT = 'absent';

export class WatchedFile {
  #loadedVersion: string | undefined;
  #lastCheckAt = Number.NEGATIVE_INFINITY;

  constructor(readonly file: string, private readonly clock: Clock, private readonly recheckMs: number) {}

  /**
   * The file's text (undefined when there is no file) if it changed since the last read; `unchanged`
   * when it did not, or when the last look is too recent and `force` is off. Throws when it cannot
   * be read; that version is then not read again until it changes, so a broken file is reported once.
   */
  changed(force: boolean): { text: string | undefined } | 'unchanged' {
    const now = this.clock.now();
    if (!force && now - this.#lastCheckAt < this.recheckMs) return 'unchanged';
    this.#lastCheckAt = now;
    const version = this.#version();
    if (version === this.#loadedVersion) return 'unchanged';
    // Read after stat: if a writer renames in between we hold newer content under an older version,
    // and the next check simply reads it again.
    this.#loadedVersion = version;
    return { text: version === ABSENT ? undefined : readFileSync(this.file, 'utf8') };
  }

  /** This process wrote the file: the next check confirms what is on disk. */
  forget(): void {
    this.#loadedVersion = undefined;
  }

  #version(): string {
    const stats = statSync(this.file, { bigint: true, throwIfNoEntry: false });
    if (stats === undefined) return ABSENT;
    // Atomic writes rename a new file into place, so the inode changes even when size and a coarse
    // mtime do not (a rotation writes a file of exactly the same size).
    return `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
  }
}
