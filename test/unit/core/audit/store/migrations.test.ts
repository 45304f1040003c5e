// One test per migration of the audit database (as Signal does): what a fresh database looks like
// after it, and that a database left at the step before keeps its rows through the upgrade.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { AuditStore, AuditStoreError } from '../../../../../main/core/audit/store/audit-store.js';
import { LATEST_VERSION, MIGRATIONS, migrate, NewerSchemaError } from '../../../../../main/core/audit/store/migrations.js';
import { verifyChain } from '../../../../../main/core/audit/store/verify-chain.js';
import { appendFromProcesses } from '../../../../fixtures/audit/appenders.js';
import { closeLater, openStore, tempAuditFile } from '../../../../fixtures/audit/temp-store.js';

async function database(t: TestContext): Promise<{ db: Database.Database; file: string }> {
  const file = await tempAuditFile(t);
  return { db: closeLater(file, new Database(file)), file };
}

function version(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

function columns(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

/** Our own indexes (not SQLite's automatic ones for UNIQUE and PRIMARY KEY), with their columns. */
function indexes(db: Database.Database): Record<string, string[]> {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(rows.map(({ name }) => [name, (db.pragma(`index_info(${name})`) as { name: string }[]).map((c) => c.name)]));
}

const EVENT_COLUMNS = ['seq', 'id', 'time', 'type', 'user', 'client', 'session', 'server', 'tool', 'decision', 'body', 'hash'];

function insertEvent(db: Database.Database, seq: number): void {
  db.prepare('INSERT INTO events (seq, id, time, type, decision, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    seq,
    `id-${seq}`,
    1_000 * seq,
    'tool.call',
    'allowed',
    `{"seq":${seq}}`,
    String(seq).padStart(64, '0'),
  );
}

function eventSeqs(db: Database.Database): number[] {
  return (db.prepare('SELECT seq FROM events ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);
}

test('the migrations are numbered 1, 2, 3… without gaps, each with a name', () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1));
  assert.equal(LATEST_VERSION, MIGRATIONS.length);
  for (const migration of MIGRATIONS) assert.notEqual(migration.name.trim(), '');
});

test('migration 1 creates the events table and a device id on an empty database', async (t) => {
  const { db } = await database(t);
  assert.equal(migrate(db, 1), 0);
  assert.equal(version(db), 1);
  assert.deepEqual(tables(db), ['events', 'meta']);
  assert.deepEqual(columns(db, 'events'), EVENT_COLUMNS);
  assert.deepEqual(columns(db, 'meta'), ['key', 'value']);
  const device = db.prepare("SELECT value FROM meta WHERE key = 'device'").get() as { value: string };
  assert.match(device.value, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  // An event id is unique: the collector deduplicates on it, so two rows may never share one.
  insertEvent(db, 1);
  assert.throws(() => db.prepare("INSERT INTO events (seq, id, time, type, decision, body, hash) VALUES (2, 'id-1', 0, 't', 'd', '{}', 'h')").run(), /UNIQUE/);
});

test('migration 2 adds retention checkpoints, and a version-1 database keeps its events and device', async (t) => {
  const fresh = (await database(t)).db;
  migrate(fresh, 2);
  assert.equal(version(fresh), 2);
  assert.deepEqual(tables(fresh), ['checkpoints', 'events', 'meta']);
  assert.deepEqual(columns(fresh, 'checkpoints'), ['id', 'next_seq', 'prev_hash', 'deleted', 'time', 'reason']);

  const { db } = await database(t);
  migrate(db, 1);
  const device = db.prepare("SELECT value FROM meta WHERE key = 'device'").get();
  insertEvent(db, 1);
  insertEvent(db, 2);
  assert.equal(migrate(db, 2), 1);
  assert.equal(version(db), 2);
  assert.deepEqual(eventSeqs(db), [1, 2]);
  assert.deepEqual(db.prepare("SELECT value FROM meta WHERE key = 'device'").get(), device);
});

test('migration 3 adds the outbox row at seq 0, and a version-2 database keeps its events and checkpoints', async (t) => {
  const fresh = (await database(t)).db;
  migrate(fresh, 3);
  assert.equal(version(fresh), 3);
  assert.deepEqual(tables(fresh), ['checkpoints', 'events', 'meta', 'outbox']);
  assert.deepEqual(columns(fresh, 'outbox'), ['id', 'acked_seq', 'last_success', 'last_attempt', 'last_error', 'last_error_at', 'parked', 'lease_owner', 'lease_until']);
  assert.deepEqual(fresh.prepare('SELECT id, acked_seq, parked, lease_owner FROM outbox').all(), [{ id: 1, acked_seq: 0, parked: 0, lease_owner: null }]);
  // Exactly one outbox row, ever.
  assert.throws(() => fresh.prepare('INSERT INTO outbox (id) VALUES (2)').run(), /CHECK/);

  const { db } = await database(t);
  migrate(db, 2);
  insertEvent(db, 7);
  db.prepare("INSERT INTO checkpoints (next_seq, prev_hash, deleted, time, reason) VALUES (7, ?, 6, 1, 'test')").run('a'.repeat(64));
  migrate(db, 3);
  assert.deepEqual(eventSeqs(db), [7]);
  assert.deepEqual(db.prepare('SELECT next_seq, deleted FROM checkpoints').all(), [{ next_seq: 7, deleted: 6 }]);
  assert.deepEqual(db.prepare('SELECT acked_seq FROM outbox').all(), [{ acked_seq: 0 }]);
});

test('migration 4 adds the activity view indexes, and a version-3 database keeps its events and outbox position', async (t) => {
  const fresh = (await database(t)).db;
  migrate(fresh, 4);
  assert.equal(version(fresh), 4);
  assert.deepEqual(indexes(fresh), {
    events_client: ['client'],
    events_decision: ['decision'],
    events_server_tool: ['server', 'tool'],
    events_time: ['time'],
    events_type: ['type'],
  });

  const { db } = await database(t);
  migrate(db, 3);
  for (let seq = 1; seq <= 5; seq++) insertEvent(db, seq);
  db.prepare('UPDATE outbox SET acked_seq = 3, last_success = 42').run();
  assert.equal(migrate(db), 3);
  assert.equal(version(db), LATEST_VERSION);
  assert.deepEqual(eventSeqs(db), [1, 2, 3, 4, 5]);
  assert.deepEqual(db.prepare('SELECT acked_seq, last_success FROM outbox').get(), { acked_seq: 3, last_success: 42 });
  // The time index is what a `since` query uses.
  const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM events WHERE time >= 3000').all() as { detail: string }[];
  assert.ok(plan.some((step) => step.detail.includes('events_time')), JSON.stringify(plan));
});

test('migration 5 adds the staged events table, and a version-4 database keeps its events', async (t) => {
  const fresh = (await database(t)).db;
  migrate(fresh, 5);
  assert.equal(version(fresh), 5);
  assert.deepEqual(tables(fresh), ['checkpoints', 'events', 'meta', 'outbox', 'staged']);
  assert.deepEqual(columns(fresh, 'staged'), ['n', 'owner', 'time', 'input']);
  // No secondary index: staging is the commit a tool call waits for, and must stay a page or two.
  assert.deepEqual(
    fresh.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'staged'").all(),
    [],
  );

  const { db } = await database(t);
  migrate(db, 4);
  for (let seq = 1; seq <= 3; seq++) insertEvent(db, seq);
  assert.equal(migrate(db, 5), 4);
  assert.deepEqual(eventSeqs(db), [1, 2, 3]);
  assert.deepEqual(db.prepare('SELECT count(*) AS n FROM staged').get(), { n: 0 });
});

test('migration 6 adds the journals progress table, and a version-5 database keeps its events and what was staged', async (t) => {
  const fresh = (await database(t)).db;
  migrate(fresh, 6);
  assert.equal(version(fresh), 6);
  assert.deepEqual(tables(fresh), ['checkpoints', 'events', 'journals', 'meta', 'outbox', 'staged']);
  assert.deepEqual(columns(fresh, 'journals'), ['name', 'sealed']);

  const { db } = await database(t);
  migrate(db, 5);
  insertEvent(db, 1);
  db.prepare("INSERT INTO staged (owner, time, input) VALUES ('1:x', 5, '{}')").run();
  assert.equal(migrate(db, 6), 5);
  assert.deepEqual(eventSeqs(db), [1]);
  assert.deepEqual(db.prepare('SELECT count(*) AS n FROM staged').get(), { n: 1 }, 'sealed by the next writer, not by the migration');
  assert.deepEqual(db.prepare('SELECT count(*) AS n FROM journals').get(), { n: 0 });
});

test('migrating an up-to-date database changes nothing', async (t) => {
  const { db } = await database(t);
  migrate(db);
  insertEvent(db, 1);
  const before = db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
  assert.equal(migrate(db), LATEST_VERSION);
  assert.deepEqual(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all(), before);
  assert.deepEqual(eventSeqs(db), [1]);
});

test('opening a log left at an older version upgrades it and keeps its events readable', async (t) => {
  const file = await tempAuditFile(t);
  const first = AuditStore.open(file);
  first.append([{ type: 'tool.call', decision: 'allowed', server: 'github' }], 1_000);
  first.close();
  // As if written by a Gatehouse that knew only the first three steps.
  const raw = new Database(file);
  raw.exec('DROP TABLE journals; DROP TABLE staged; DROP INDEX events_time; DROP INDEX events_server_tool; DROP INDEX events_client; DROP INDEX events_decision; DROP INDEX events_type');
  raw.pragma('user_version = 3');
  raw.close();

  const store = openStore(file);
  assert.equal(store.after(0, 10)[0]?.server, 'github');
  assert.equal(verifyChain(store).ok, true);
  const check = closeLater(file, new Database(file, { readonly: true }));
  assert.equal(version(check), LATEST_VERSION);
  assert.equal(Object.keys(indexes(check)).length, 5);
});

test('a database from a newer Gatehouse is refused with a message saying to update', async (t) => {
  const { db, file } = await database(t);
  migrate(db);
  db.pragma('user_version = 99');
  assert.throws(() => migrate(db), (error: unknown) => {
    assert.ok(error instanceof NewerSchemaError);
    assert.equal(error.found, 99);
    assert.match(error.message, new RegExp(`newer Gatehouse \\(schema 99, this one knows up to ${LATEST_VERSION}\\); update Gatehouse`));
    return true;
  });
  assert.equal(version(db), 99, 'a refused database is left as it was');
  db.close();

  assert.throws(() => AuditStore.open(file), (error: unknown) => {
    assert.ok(error instanceof AuditStoreError);
    assert.equal(error.code, 'GATEHOUSE_AUDIT_UNAVAILABLE');
    assert.equal(error.failure.condition, 'newer');
    assert.match(error.message, /update Gatehouse/);
    return true;
  });
});

test('a connection that read the version before another one migrated does not apply the steps again', async (t) => {
  const file = await tempAuditFile(t);
  const a = closeLater(file, new Database(file, { timeout: 5_000 }));
  const b = closeLater(file, new Database(file, { timeout: 5_000 }));
  // b's first look at user_version happened before a migrated: it saw an empty database.
  let firstLook = true;
  const late = new Proxy(b, {
    get(target, property) {
      if (property !== 'pragma') {
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string, options?: Database.PragmaOptions) => {
        if (firstLook && source === 'user_version') {
          firstLook = false;
          return 0;
        }
        return target.pragma(source, options);
      };
    },
  });
  migrate(a);
  assert.doesNotThrow(() => migrate(late));
  assert.equal(firstLook, false);
  assert.equal(version(b), LATEST_VERSION);
  assert.equal((b.prepare('SELECT count(*) AS n FROM meta').get() as { n: number }).n, 1, 'one device id, not one per connection');
  assert.equal((b.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n, 1);
});

test('several processes creating and migrating the same new log at once all succeed and share one device', async (t) => {
  const file = await tempAuditFile(t);
  const seqs = await appendFromProcesses(file, 4, 5);
  assert.equal(seqs.length, 4);
  const store = openStore(file, { readonly: true });
  assert.equal(store.stats().events, 20);
  assert.deepEqual(seqs.flat().sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.equal(verifyChain(store).ok, true);
  assert.equal(new Set(store.after(0, 100).map((e) => e.device)).size, 1);
});
