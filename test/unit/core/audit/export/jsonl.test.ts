import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditEventSchema } from '../../../../../common/audit-event.js';
import { toJsonLines } from '../../../../../main/core/audit/export/jsonl.js';
import { auditEvent, deniedToolCall } from '../../../../helpers/audit-events.js';

const denied = deniedToolCall({
  reason: 'No role of yours grants incidents/page_oncall.\nAsk IT.',
  steps: [{ ms: 0.4, outcome: 'deny', step: 'authorization', code: 'GATEHOUSE_TOOL_NOT_ALLOWED' }],
  arguments: { team: 'sre', note: 'line one\nline two' },
});

test('writes one JSON object per line, every line terminated, none for no events', () => {
  const text = toJsonLines([auditEvent(1), denied, auditEvent(8)]);
  assert.ok(text.endsWith('\n'));
  const lines = text.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 3);
  assert.deepEqual(lines.map((line) => (JSON.parse(line) as { seq: number }).seq), [1, 7, 8]);
  assert.equal(toJsonLines([]), '');
});

test('a newline inside a reason or an argument stays inside its line', () => {
  const lines = toJsonLines([denied]).split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /Ask IT/);
});

test('each line parses back into the same event', () => {
  const [line] = toJsonLines([denied]).split('\n');
  assert.deepEqual(auditEventSchema.parse(JSON.parse(line!)), denied);
});

test('keys come in the schema order whatever order the object was built in', () => {
  const shuffled = Object.fromEntries(Object.entries(denied).reverse()) as typeof denied;
  const keys = Object.keys(JSON.parse(toJsonLines([shuffled])) as object);
  assert.deepEqual(keys.slice(0, 5), ['id', 'seq', 'device', 'time', 'type']);
  assert.deepEqual(keys.slice(-2), ['prevHash', 'hash']);
  assert.equal(toJsonLines([shuffled]), toJsonLines([denied]));
  const [step] = (JSON.parse(toJsonLines([denied])) as { steps: object[] }).steps;
  assert.deepEqual(Object.keys(step!), ['step', 'outcome', 'code', 'ms']);
});

test('leaves out fields the event does not have', () => {
  const line = toJsonLines([auditEvent(1)]);
  assert.doesNotMatch(line, /undefined|null|"user"|"steps"/);
});
