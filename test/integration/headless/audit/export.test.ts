// `gatehouse audit export`: the whole log in jsonl, OTLP and OCSF, one JSON document per line,
// streamed a page at a time; --out writes a private file that appears whole.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { auditEventSchema } from '../../../../common/audit-event.js';
import { AuditStore } from '../../../../main/core/audit/store/audit-store.js';
import { runCli } from '../cli-runner.js';
import { auditLogFixture, MORNING, T0, toolCalls, type AuditLogFixture } from './audit-log-fixture.js';

const parseLines = (text: string) => text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

interface OtlpLine {
  resourceLogs: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeLogs: { logRecords: { attributes: { key: string; value: { stringValue?: string } }[] }[] }[] }[];
}

describe('gatehouse audit export', () => {
  let log: AuditLogFixture;
  let ids: string[];
  before(async () => {
    log = await auditLogFixture();
    // More than one page (1000 events), so paging and per-page OTLP objects are exercised.
    log.append(toolCalls(1_205));
    const store = AuditStore.open(log.file, { readonly: true });
    ids = store.after(0, 10_000).map((event) => event.id);
    store.close();
  });
  after(() => log.close());

  const exportAs = (...args: string[]) => runCli(['audit', 'export', ...args, ...log.args], log.env);

  test('jsonl prints every event once, in order, each line an event the schema accepts', async () => {
    const r = await exportAs('--format', 'jsonl');
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trimEnd().split('\n').map((line) => auditEventSchema.parse(JSON.parse(line)));
    assert.equal(events.length, MORNING.length + 1_205);
    assert.deepEqual(events.map((e) => e.id), ids);
    assert.deepEqual(events[3]!.steps, [{ step: 'authorization', outcome: 'deny', code: 'GATEHOUSE_TOOL_NOT_ALLOWED' }]);
  });

  test('otlp prints one ExportLogsServiceRequest per page of 1000 events', async () => {
    const r = await exportAs('--format', 'otlp');
    assert.equal(r.code, 0, r.stderr);
    const requests = parseLines(r.stdout) as unknown as OtlpLine[];
    const records = requests.map((request) => request.resourceLogs[0]!.scopeLogs[0]!.logRecords);
    assert.deepEqual(records.map((page) => page.length), [1000, MORNING.length + 1_205 - 1000]);
    const uid = (record: (typeof records)[number][number]) => record.attributes.find((a) => a.key === 'log.record.uid')?.value.stringValue;
    assert.deepEqual(records.flat().map(uid), ids);
    const service = requests[0]!.resourceLogs[0]!.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
    assert.equal(service, 'gatehouse');
  });

  test('ocsf prints one API Activity (class 6003) per event, a denial as Denied', async () => {
    const r = await exportAs('--format', 'ocsf', '--until', new Date(T0 + 60_000).toISOString());
    assert.equal(r.code, 0, r.stderr);
    const events = parseLines(r.stdout);
    assert.equal(events.length, MORNING.length);
    assert.ok(events.every((event) => event['class_uid'] === 6003));
    assert.deepEqual(events.map((event) => (event['metadata'] as { uid: string }).uid), ids.slice(0, MORNING.length));
    assert.equal(events[3]!['action'], 'Denied');
    assert.equal(events[3]!['status_code'], 'GATEHOUSE_TOOL_NOT_ALLOWED');
  });

  test('--since and --until keep only the events in the window', async () => {
    const r = await exportAs('--format', 'jsonl', '--since', new Date(T0 + 3_000).toISOString(), '--until', new Date(T0 + 5_000).toISOString());
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseLines(r.stdout).map((event) => event['seq']), [4, 5, 6]);
  });

  test('--out writes a file only its owner can read, with exactly what stdout would show, and no temp file left', async () => {
    const out = path.join(log.dir, 'exports', 'audit.jsonl');
    await mkdir(path.dirname(out));
    const [written, printed] = await Promise.all([exportAs('--format', 'jsonl', '--out', out), exportAs('--format', 'jsonl')]);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, new RegExp(`Exported ${MORNING.length + 1_205} event\\(s\\) as jsonl to .*audit\\.jsonl`));
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    assert.equal(await readFile(out, 'utf8'), printed.stdout);
    assert.deepEqual(await readdir(path.dirname(out)), ['audit.jsonl']);
  });

  test('refuses a missing or unknown format, a date that is not ISO 8601 and an --out in no folder (exit 2)', async () => {
    const [none, unknown, badDate, noFolder] = await Promise.all([
      exportAs(),
      exportAs('--format', 'csv'),
      exportAs('--format', 'jsonl', '--since', '22/11/2026'),
      exportAs('--format', 'jsonl', '--out', path.join(log.dir, 'missing', 'audit.jsonl')),
    ]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--format jsonl\|otlp\|ocsf/);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--format must be one of jsonl, otlp, ocsf; not 'csv'/);
    assert.equal(badDate.code, 2);
    assert.match(badDate.stderr, /--since must be an ISO 8601 date/);
    assert.equal(noFolder.code, 2);
    assert.match(noFolder.stderr, /cannot write .*audit\.jsonl \(ENOENT\): check that its folder exists/);
  });
});

describe('gatehouse audit export without a log', () => {
  test('fails with GATEHOUSE_AUDIT_UNAVAILABLE and writes no file', async () => {
    const empty = await auditLogFixture(null);
    try {
      const out = path.join(empty.dir, 'out.jsonl');
      const r = await runCli(['audit', 'export', '--format', 'jsonl', '--out', out, ...empty.args], empty.env);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /There is no audit log at .* yet.*\[GATEHOUSE_AUDIT_UNAVAILABLE\]/);
      await assert.rejects(stat(out), { code: 'ENOENT' });
    } finally {
      await empty.close();
    }
  });
});
