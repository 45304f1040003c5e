// One process's staged audit events: an append-only file of JSON lines beside the audit log, in
// `<log>-staged/<pid>-<uuid>.jsonl`. A tool call's answer waits for its event to be written here,
// one write per turn of the event loop (a few microseconds), not for a SQLite commit (about twenty).
// Like a WAL commit with synchronous=NORMAL, the write is in the kernel's hands once it returns: it
// survives kill -9 of the process. The database records how many bytes of each journal are sealed
// into the chain, in the transaction that seals them, so no journal is sealed twice, whoever seals it.
import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { AuditEventInput } from '../../../../common/audit-event.js';

/** Read at once when sealing; a line longer than this is read in several reads. */
const READ_CHUNK = 256 * 1024;
const NAME = /^(\d+)-[0-9a-f-]{36}\.jsonl$/;

/** Where the journals of the log `auditFile` are kept. */
export function journalDirectory(auditFile: string): string {
  return `${auditFile}-staged`;
}

export interface JournalFile {
  /** The file's name in its folder: what the database's progress row is keyed by. */
  readonly name: string;
  readonly file: string;
  /** The process that writes it. */
  readonly pid: number;
  /** Up to `limit` complete lines from byte `from`; undefined when the journal is gone. */
  read(from: number, limit: number): JournalSlice | undefined;
}

/** The journals in the folder of `auditFile`, in no particular order. */
export function listJournals(auditFile: string): JournalFile[] {
  const dir = journalDirectory(auditFile);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.flatMap((name) => {
    const match = NAME.exec(name);
    const file = path.join(dir, name);
    return match ? [{ name, file, pid: Number(match[1]), read: (from: number, limit: number) => readJournal(file, from, limit) }] : [];
  });
}

export class StagingJournal implements JournalFile {
  /** Bytes written and complete: every batch ends with its newline. */
  private written = 0;
  /** A failed write could not be undone, so the file ends in a cut line: a new journal takes over. */
  private cut = false;
  private fd: number | undefined;

  private constructor(
    readonly name: string,
    readonly file: string,
    readonly pid: number,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Creates a new, empty journal for this process (tests pass the pid of a process to stand in for). */
  static create(auditFile: string, pid = process.pid): StagingJournal {
    const dir = journalDirectory(auditFile);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = `${pid}-${randomUUID()}.jsonl`;
    const file = path.join(dir, name);
    return new StagingJournal(name, file, pid, openSync(file, 'wx+', 0o600));
  }

  get size(): number {
    return this.written;
  }

  /** False once a failed write left a cut line behind, or the journal was closed. */
  get usable(): boolean {
    return !this.cut && this.fd !== undefined;
  }

  /** Writes one line per event, all of them or none; throws the file system's error. */
  append(inputs: readonly AuditEventInput[], time: number): void {
    if (this.fd === undefined) throw new Error(`the staging journal ${this.file} is closed`);
    let text = '';
    for (const input of inputs) text += `${JSON.stringify(input.time === undefined ? { ...input, time } : input)}\n`;
    const bytes = Buffer.from(text);
    let done = 0;
    try {
      // A write to a nearly full disk may take only part of the buffer before it fails.
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    } catch (error) {
      if (done > 0) {
        // The part written would run into the next batch's first line: take it back.
        try {
          ftruncateSync(this.fd, this.written);
        } catch {
          this.cut = true;
        }
      }
      throw error;
    }
    this.written += bytes.length;
  }

  /**
   * Reads through the open file, not by its name: if another process wrongly took this one for dead,
   * sealed the journal and removed it, what this process stages afterwards is still read and sealed.
   */
  read(from: number, limit: number): JournalSlice | undefined {
    return this.fd === undefined ? undefined : readLines(this.fd, from, limit);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface JournalSlice {
  /** Complete lines, oldest first. */
  lines: string[];
  /** The offset just past the last line returned: where the next read starts. */
  end: number;
  /** Lines remain after these. */
  more: boolean;
  /** Bytes after the last complete line and no more lines: a write cut short (only a dead writer leaves one). */
  fragment: number;
}

/** Up to `limit` complete lines of `file` from byte `from`; undefined when the file no longer exists. */
export function readJournal(file: string, from: number, limit: number): JournalSlice | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return readLines(fd, from, limit);
  } finally {
    closeSync(fd);
  }
}

function readLines(fd: number, from: number, limit: number): JournalSlice {
  const size = fstatSync(fd).size;
  const lines: string[] = [];
  let end = from;
  let carried = Buffer.alloc(0);
  while (lines.length < limit && end + carried.length < size) {
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - end - carried.length));
    const got = readSync(fd, chunk, 0, chunk.length, end + carried.length);
    if (got === 0) break;
    const data = carried.length > 0 ? Buffer.concat([carried, chunk.subarray(0, got)]) : chunk.subarray(0, got);
    let at = 0;
    while (lines.length < limit) {
      const newline = data.indexOf(10, at);
      if (newline < 0) break;
      lines.push(data.toString('utf8', at, newline));
      at = newline + 1;
    }
    end += at;
    carried = data.subarray(at);
  }
  const more = lines.length === limit && end < size;
  return { lines, end, more, fragment: more ? 0 : size - end };
}
