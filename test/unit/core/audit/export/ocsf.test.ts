import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_DECISIONS, AUDIT_EVENT_TYPES, type AuditEvent } from '../../../../../common/audit-event.js';
import { OCSF_VERSION, toOcsf } from '../../../../../main/core/audit/export/ocsf.js';
import { auditEvent, deniedToolCall, TEST_DEVICE } from '../../../../helpers/audit-events.js';

const product = { version: '1.2.3', host: 'laptop-42' };

const deniedCall = deniedToolCall({
  reason: 'No role of yours grants this tool.',
  status: 'refused',
  latencyMs: 1.6,
  steps: [{ step: 'authorization', outcome: 'deny' }],
  arguments: { team: 'sre' },
});

type Json = Record<string, unknown>;
const ocsf = (event: AuditEvent) => toOcsf(event, product) as Json;

test('a denied tool call is an API Activity "Other", blocked by a security control', () => {
  const out = ocsf(deniedCall);
  assert.equal(out['class_uid'], 6003);
  assert.equal(out['category_uid'], 6);
  assert.equal(out['activity_id'], 99);
  assert.equal(out['activity_name'], 'tools/call');
  assert.equal(out['type_uid'], 600399);
  assert.equal(out['time'], deniedCall.time);
  assert.equal(out['status_id'], 2);
  assert.equal(out['status'], 'Failure');
  assert.equal(out['status_code'], 'GATEHOUSE_TOOL_NOT_ALLOWED');
  assert.equal(out['status_detail'], 'No role of yours grants this tool.');
  assert.equal(out['action_id'], 2);
  assert.equal(out['action'], 'Denied');
  assert.equal(out['disposition_id'], 2);
  assert.equal(out['disposition'], 'Blocked');
  assert.equal(out['duration'], 2);
  assert.equal(out['message'], 'tools/call incidents/page_oncall denied: No role of yours grants this tool.');
  assert.deepEqual(out['api'], { operation: 'tools/call', service: { name: 'incidents' } });
  assert.deepEqual(out['actor'], { user: { uid: 'alice@example.com' }, app_name: 'cursor', session: { uid: 's-1' } });
  assert.deepEqual(out['src_endpoint'], { uid: TEST_DEVICE, hostname: 'laptop-42' });
  assert.deepEqual(out['resources'], [{ type: 'MCP tool', name: 'page_oncall', uid: 'incidents/page_oncall' }]);
});

test('metadata names the event, its sequence, Gatehouse and the OCSF version with the profile used', () => {
  assert.deepEqual(ocsf(deniedCall)['metadata'], {
    uid: deniedCall.id,
    sequence: 7,
    event_code: 'tool.call',
    product: { name: 'Gatehouse', vendor_name: 'Gatehouse', version: '1.2.3' },
    version: OCSF_VERSION,
    profiles: ['security_control'],
  });
  assert.match(OCSF_VERSION, /^1\.\d+\.\d+$/);
});

test('Gatehouse fields without an OCSF home are kept under unmapped.gatehouse', () => {
  const unmapped = (ocsf(deniedCall)['unmapped'] as Json)['gatehouse'] as Json;
  assert.equal(unmapped['decision'], 'denied');
  assert.equal(unmapped['seq'], 7);
  assert.equal(unmapped['status'], 'refused');
  assert.equal(unmapped['latency_ms'], 1.6);
  assert.deepEqual(unmapped['steps'], [{ step: 'authorization', outcome: 'deny' }]);
  assert.deepEqual(unmapped['arguments'], { team: 'sre' });
  assert.equal(unmapped['arguments_hash'], 'a'.repeat(64));
  assert.equal(unmapped['prev_hash'], deniedCall.prevHash);
  assert.equal(unmapped['hash'], deniedCall.hash);
});

test('a resource read is a Read', () => {
  const out = ocsf(auditEvent(3, { type: 'resource.read', method: 'resources/read', server: 'docs', resource: 'file:///handbook.md', status: 'ok' }));
  assert.equal(out['activity_id'], 2);
  assert.equal(out['activity_name'], 'Read');
  assert.equal(out['type_uid'], 600302);
  assert.equal(out['status_id'], 1);
  assert.deepEqual(out['resources'], [{ type: 'MCP resource', uid: 'file:///handbook.md' }]);
  assert.equal(out['action_id'], 1);
  assert.equal(out['disposition'], 'Allowed');
});

test('a redacted call was allowed with its content changed', () => {
  const out = ocsf(auditEvent(1, { decision: 'redacted', status: 'ok' }));
  assert.equal(out['action_id'], 1);
  assert.equal(out['disposition_id'], 99);
  assert.equal(out['disposition'], 'Redacted');
  assert.equal(out['status_id'], 1);
});

test('a quarantined tool is reported as quarantined', () => {
  const out = ocsf(auditEvent(1, { type: 'tool.quarantined', decision: 'recorded', server: 'docs', tool: 'search' }));
  assert.equal(out['disposition_id'], 3);
  assert.equal(out['action_id'], 2);
  assert.equal(out['severity_id'], 2);
});

test('events without a guard decision carry no action, disposition or profile', () => {
  const out = ocsf(auditEvent(1, { type: 'session.opened', decision: 'recorded', client: 'cursor', session: 's-1' }));
  assert.equal('action_id' in out, false);
  assert.equal('disposition_id' in out, false);
  assert.equal('profiles' in (out['metadata'] as Json), false);
  assert.deepEqual(out['api'], { operation: 'session.opened' });
  assert.equal(out['activity_name'], 'session.opened');
});

test('an event nobody in particular caused has Gatehouse as its actor', () => {
  assert.deepEqual(ocsf(auditEvent(1, { type: 'policy.loaded', decision: 'recorded' }))['actor'], { app_name: 'Gatehouse' });
});

test('severity and status follow the outcome', () => {
  const of = (overrides: Partial<AuditEvent>) => {
    const out = ocsf(auditEvent(1, overrides));
    return [out['severity_id'], out['status_id']];
  };
  assert.deepEqual(of({ decision: 'allowed', status: 'ok' }), [1, 1]);
  assert.deepEqual(of({ decision: 'allowed', status: 'tool_error' }), [1, 2]);
  assert.deepEqual(of({ decision: 'failed', status: 'error' }), [3, 2]);
  assert.deepEqual(of({ type: 'elicitation', decision: 'declined' }), [2, 1]);
  assert.deepEqual(of({ decision: 'allowed', status: 'cancelled' }), [1, 99]);
  assert.deepEqual(of({ type: 'auth.failure', decision: 'recorded' }), [2, 2]);
});

test('every event type and decision maps to a complete API Activity', () => {
  for (const type of AUDIT_EVENT_TYPES) {
    for (const decision of AUDIT_DECISIONS) {
      const out = ocsf(auditEvent(1, { type, decision }));
      const where = `${type}/${decision}`;
      assert.deepEqual(JSON.parse(JSON.stringify(out)), out, `${where}: plain JSON`);
      for (const required of ['activity_id', 'category_uid', 'class_uid', 'type_uid', 'time', 'severity_id', 'metadata', 'api', 'actor', 'src_endpoint']) {
        assert.ok(out[required] !== undefined, `${where}: ${required} is required`);
      }
      assert.equal(out['type_uid'], 600300 + (out['activity_id'] as number), where);
      assert.ok([2, 99].includes(out['activity_id'] as number), where);
      assert.ok(typeof (out['api'] as Json)['operation'] === 'string', `${where}: api.operation`);
      assert.ok(Object.keys(out['actor'] as Json).length > 0, `${where}: actor has something`);
      assert.ok([1, 2, 99].includes(out['status_id'] as number), where);
      if ('action_id' in out) assert.ok([1, 2].includes(out['action_id'] as number), `${where}: action_id is Allowed or Denied`);
    }
  }
});
