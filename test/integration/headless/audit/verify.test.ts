// `gatehouse audit verify`: OK on the log as written; an edited or deleted row (changed behind
// Gatehouse's back with plain SQL) is reported with its seq and exits non-zero.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { runCli } from '../cli-runner.js';
import { auditLogFixture, MORNING, type AuditLogFixture } from './audit-log-fixture.js';

describe('gatehouse audit verify', () => {
  let log: AuditLogFixture;
  beforeEach(async () => (log = await auditLogFixture()));
  afterEach(() => log.close());

  const verify = (...args: string[]) => runCli(['audit', 'verify', ...args, ...log.args], log.env);
  const tamper = (sql: string) => {
    const db = new Database(log.file);
    try {
      db.prepare(sql).run();
    } finally {
      db.close();
    }
  };

  test('says the log is OK with its event count and seq range', async () => {
    const [human, json] = await Promise.all([verify(), verify('--json')]);
    assert.equal(human.code, 0, human.stderr);
    assert.equal(human.stdout, `audit log OK: ${MORNING.length} event(s) (seq 1–${MORNING.length}), from genesis\n`);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { file: log.file, ok: true, checked: MORNING.length, firstSeq: 1, lastSeq: MORNING.length, from: 'genesis' });
  });

  test('an edited row fails with GATEHOUSE_AUDIT_TAMPERED naming its seq', async () => {
    tamper(`UPDATE events SET body = replace(body, '"decision":"denied"', '"decision":"allowed"') WHERE seq = 4`);
    const [human, json] = await Promise.all([verify(), verify('--json')]);
    assert.equal(human.code, 1);
    assert.equal(human.stdout, '');
    assert.match(human.stderr, /audit log broken at event 4 \(edited\): event 4 was changed after it was written.*the 3 event\(s\) before it check out.*\[GATEHOUSE_AUDIT_TAMPERED\]/);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { ok: boolean; checked: number; break: { kind: string; seq: number } };
    assert.deepEqual({ ok: report.ok, checked: report.checked, kind: report.break.kind, seq: report.break.seq }, { ok: false, checked: 3, kind: 'edited', seq: 4 });
  });

  test('a deleted row fails naming the missing seq', async () => {
    tamper('DELETE FROM events WHERE seq = 6');
    const r = await verify();
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken at event 6 \(deleted\): event 6 is missing/);
  });
});

describe('gatehouse audit verify without a log', () => {
  test('is an error saying there is no log yet', async () => {
    const empty = await auditLogFixture(null);
    try {
      const r = await runCli(['audit', 'verify', ...empty.args], empty.env);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /There is no audit log at .* yet.*\[GATEHOUSE_AUDIT_UNAVAILABLE\]/);
    } finally {
      await empty.close();
    }
  });
});
