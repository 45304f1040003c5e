// The audit database's schema, one numbered step at a time. `PRAGMA user_version` records the last
// step applied; each step runs in its own transaction, so a crash mid-upgrade leaves the previous
// version intact. Steps are only ever appended: a released step is never edited.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events and the device id',
    up(db) {
      // `body` is the event exactly as hashed; the other columns are copies for queries, checked
      // against the body by `verify`, so editing one of them alone is caught too.
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE events (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          time INTEGER NOT NULL,
          type TEXT NOT NULL,
          user TEXT,
          client TEXT,
          session TEXT,
          server TEXT,
          tool TEXT,
          decision TEXT NOT NULL,
          body TEXT NOT NULL,
          hash TEXT NOT NULL
        ) STRICT;
      `);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('device', randomUUID());
    },
  },
  {
    version: 2,
    name: 'retention checkpoints',
    up(db) {
      // When old events are deleted, the chain continues from the hash of the last one deleted.
      db.exec(`
        CREATE TABLE checkpoints (
          id INTEGER PRIMARY KEY,
          next_seq INTEGER NOT NULL,
          prev_hash TEXT NOT NULL,
          deleted INTEGER NOT NULL,
          time INTEGER NOT NULL,
          reason TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 3,
    name: 'outbox state',
    up(db) {
      // One row: how far the collector has acknowledged, the last outcome, and who is shipping now.
      db.exec(`
        CREATE TABLE outbox (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          acked_seq INTEGER NOT NULL DEFAULT 0,
          last_success INTEGER,
          last_attempt INTEGER,
          last_error TEXT,
          last_error_at INTEGER,
          parked INTEGER NOT NULL DEFAULT 0,
          lease_owner TEXT,
          lease_until INTEGER
        ) STRICT;
        INSERT INTO outbox (id) VALUES (1);
      `);
    },
  },
  {
    version: 4,
    name: 'indexes for the activity view',
    up(db) {
      db.exec(`
        CREATE INDEX events_time ON events (time);
        CREATE INDEX events_server_tool ON events (server, tool);
        CREATE INDEX events_client ON events (client);
        CREATE INDEX events_decision ON events (decision);
        CREATE INDEX events_type ON events (type);
      `);
    },
  },
  {
    version: 5,
    name: 'staged events',
    up(db) {
      // An event is durable once staged: a row in a table without secondary indexes, so the commit a
      // tool call's answer waits for writes a page or two. Its place in the chain (seq, id, hash) is
      // given later, many events at a time, by the process that staged it (`owner`), or by the next
      // writer to open the log when that process died first.
      db.exec(`
        CREATE TABLE staged (
          n INTEGER PRIMARY KEY,
          owner TEXT NOT NULL,
          time INTEGER NOT NULL,
          input TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 6,
    name: 'staging journals',
    up(db) {
      // Events are now staged in a file per process (store/staging-journal.ts), not in `staged`,
      // which stays only for what an older Gatehouse left there. `sealed` is how many bytes of the
      // journal `name` are in the chain; it moves in the transaction that seals them.
      db.exec(`
        CREATE TABLE journals (
          name TEXT PRIMARY KEY,
          sealed INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Brings the database up to `target` (the latest by default); returns the version it found. */
export function migrate(db: Database, target = LATEST_VERSION): number {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > LATEST_VERSION) {
    throw new NewerSchemaError(found);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= found || migration.version > target) continue;
    db.transaction(() => {
      // Read again under the write lock: another process may have applied it meanwhile.
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return found;
}

export class NewerSchemaError extends Error {
  // AuditStore.open recognises this error by name to report the 'newer' condition.
  override readonly name = 'NewerSchemaError';

  constructor(readonly found: number) {
    super(`the audit log was written by a newer Gatehouse (schema ${found}, this one knows up to ${LATEST_VERSION}); update Gatehouse`);
  }
}
