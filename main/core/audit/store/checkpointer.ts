// WAL checkpoints copy the log's new pages into the database file and fsync both: milliseconds in
// which the broker's event loop, and so every call in flight, would stand still. A long-lived
// broker has a worker thread with its own connection do them every few hundred milliseconds; its
// own connection checkpoints only past BACKGROUND_BACKSTOP_PAGES, should the worker have stopped.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The broker's own connection checkpoints past this many WAL pages (4 KiB each) when a worker does the rest. */
export const BACKGROUND_BACKSTOP_PAGES = 16_384;
const EVERY_MS = 250;

// Evaluated, not loaded from a file: the CLI and the desktop app are bundled, and a worker module
// would need a path of its own in each bundle. `require` is CommonJS's inside an evaluated worker.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
let db;
const timer = setInterval(() => {
  try {
    // Opened on the first round that finds the log: the broker may not have been able to create it yet.
    db ??= new Database(workerData.file, { fileMustExist: true, timeout: 1000 });
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ walPages: result.log, copied: result.checkpointed });
  } catch {
    // Busy, missing or failing: the broker's writes report real trouble; the next round tries again.
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try {
    db?.close();
  } catch {}
  parentPort.close();
});
`;

export interface CheckpointRound {
  walPages: number;
  copied: number;
}

export class Checkpointer {
  private readonly exited: Promise<void>;
  private readonly listeners = new Set<(round: CheckpointRound) => void>();

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (message: unknown) => {
      const round = message as CheckpointRound;
      if (typeof round?.walPages !== 'number' || typeof round.copied !== 'number') return;
      for (const listener of this.listeners) listener(round);
    });
  }

  /** Each checkpoint the worker made: how many pages the WAL held and how many it copied. */
  onCheckpoint(listener: (round: CheckpointRound) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts checkpointing `file` in the background; failing to, the broker's connection does it itself. */
  static start(file: string, everyMs = EVERY_MS): Checkpointer {
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, sqlite, everyMs } });
    // A checkpoint that could not happen costs only a longer WAL, which the backstop bounds.
    worker.on('error', () => undefined);
    const checkpointer = new Checkpointer(worker);
    // After the listeners: adding a 'message' listener refs the worker again. It must never keep a
    // process alive (a broker that failed to start exits without stopping it).
    worker.unref();
    return checkpointer;
  }

  async stop(): Promise<void> {
    // Whoever stops it waits for the worker to close its connection, and the process with them.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
