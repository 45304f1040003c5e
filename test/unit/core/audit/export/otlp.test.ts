import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_EVENT_TYPES, type AuditEvent } from '../../../../../common/audit-event.js';
import { toOtlpLogs, type AnyValue, type KeyValue, type OtlpLogRecord } from '../../../../../main/core/audit/export/otlp.js';
import { auditEvent, deniedToolCall, TEST_DEVICE } from '../../../../helpers/audit-events.js';

const resource = { device: TEST_DEVICE, version: '1.2.3', host: 'laptop-42' };

const deniedCall = deniedToolCall({
  reason: 'No role of yours grants this tool.',
  status: 'refused',
  latencyMs: 1.5,
  steps: [{ step: 'authorization', outcome: 'deny', code: 'GATEHOUSE_TOOL_NOT_ALLOWED', ms: 0.25 }, { step: 'dlp', outcome: 'redact', detectors: ['aws-key', 'email'] }],
  arguments: { team: 'sre', urgent: true },
});

function recordOf(event: AuditEvent): OtlpLogRecord {
  return toOtlpLogs([event], resource).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
}

function attributes(values: readonly KeyValue[]): Map<string, AnyValue> {
  const map = new Map<string, AnyValue>();
  for (const { key, value } of values) {
    assert.ok(!map.has(key), `attribute ${key} appears twice`);
    map.set(key, value);
  }
  return map;
}

function attrsOf(event: AuditEvent): Map<string, AnyValue> {
  return attributes(recordOf(event).attributes);
}

test('wraps the batch in one resource naming Gatehouse, its version, this device and host', () => {
  const request = toOtlpLogs([auditEvent(1), auditEvent(2)], resource);
  assert.equal(request.resourceLogs.length, 1);
  const [resourceLogs] = request.resourceLogs;
  assert.deepEqual(Object.fromEntries(attributes(resourceLogs!.resource.attributes)), {
    'service.name': { stringValue: 'gatehouse' },
    'service.version': { stringValue: '1.2.3' },
    'service.instance.id': { stringValue: TEST_DEVICE },
    'host.name': { stringValue: 'laptop-42' },
  });
  assert.deepEqual(resourceLogs!.scopeLogs[0]!.scope, { name: 'gatehouse.audit', version: '1.2.3' });
  assert.deepEqual(resourceLogs!.scopeLogs[0]!.logRecords.map((r) => attributes(r.attributes).get('log.record.uid')), [
    { stringValue: auditEvent(1).id },
    { stringValue: auditEvent(2).id },
  ]);
});

test('leaves host.name out when the host is not known', () => {
  const request = toOtlpLogs([auditEvent(1)], { device: TEST_DEVICE, version: '1.2.3' });
  assert.equal(attributes(request.resourceLogs[0]!.resource.attributes).has('host.name'), false);
});

test('timestamps are exact nanoseconds as decimal strings, as OTLP/JSON encodes 64-bit integers', () => {
  const record = recordOf(auditEvent(1, { time: 1_767_225_601_234 }));
  assert.equal(record.timeUnixNano, '1767225601234000000');
  assert.equal(record.observedTimeUnixNano, '1767225601234000000');
});

test('a denied tool call carries the MCP and GenAI conventions, the user and the error class', () => {
  const attrs = attrsOf(deniedCall);
  assert.deepEqual(attrs.get('mcp.method.name'), { stringValue: 'tools/call' });
  assert.deepEqual(attrs.get('mcp.session.id'), { stringValue: 's-1' });
  assert.deepEqual(attrs.get('gen_ai.tool.name'), { stringValue: 'page_oncall' });
  assert.deepEqual(attrs.get('gen_ai.operation.name'), { stringValue: 'execute_tool' });
  assert.deepEqual(attrs.get('error.type'), { stringValue: 'GATEHOUSE_TOOL_NOT_ALLOWED' });
  assert.deepEqual(attrs.get('enduser.id'), { stringValue: 'alice@example.com' });
  assert.deepEqual(attrs.get('log.record.uid'), { stringValue: deniedCall.id });
  assert.deepEqual(attrs.get('event.name'), { stringValue: 'gatehouse.tool.call' });
  assert.equal(recordOf(deniedCall).eventName, 'gatehouse.tool.call');
});

test('a denial is a warning whose body says what was refused and why', () => {
  const record = recordOf(deniedCall);
  assert.equal(record.severityNumber, 13);
  assert.equal(record.severityText, 'WARN');
  assert.deepEqual(record.body, { stringValue: 'tools/call incidents/page_oncall denied: No role of yours grants this tool.' });
});

test('Gatehouse fields are under gatehouse.*, typed as OTLP expects', () => {
  const attrs = attrsOf(deniedCall);
  assert.deepEqual(attrs.get('gatehouse.decision'), { stringValue: 'denied' });
  assert.deepEqual(attrs.get('gatehouse.code'), { stringValue: 'GATEHOUSE_TOOL_NOT_ALLOWED' });
  assert.deepEqual(attrs.get('gatehouse.reason'), { stringValue: 'No role of yours grants this tool.' });
  assert.deepEqual(attrs.get('gatehouse.status'), { stringValue: 'refused' });
  assert.deepEqual(attrs.get('gatehouse.seq'), { intValue: '7' });
  assert.deepEqual(attrs.get('gatehouse.client'), { stringValue: 'cursor' });
  assert.deepEqual(attrs.get('gatehouse.server'), { stringValue: 'incidents' });
  assert.deepEqual(attrs.get('gatehouse.latency_ms'), { doubleValue: 1.5 });
  assert.deepEqual(attrs.get('gatehouse.arguments'), { stringValue: '{"team":"sre","urgent":true}' });
  assert.deepEqual(attrs.get('gatehouse.arguments_hash'), { stringValue: 'a'.repeat(64) });
  assert.deepEqual(attrs.get('gatehouse.prev_hash'), { stringValue: deniedCall.prevHash });
  assert.deepEqual(attrs.get('gatehouse.hash'), { stringValue: deniedCall.hash });
  assert.deepEqual(attrs.get('gatehouse.steps'), {
    arrayValue: {
      values: [
        { kvlistValue: { values: [
          { key: 'step', value: { stringValue: 'authorization' } },
          { key: 'outcome', value: { stringValue: 'deny' } },
          { key: 'code', value: { stringValue: 'GATEHOUSE_TOOL_NOT_ALLOWED' } },
          { key: 'ms', value: { doubleValue: 0.25 } },
        ] } },
        { kvlistValue: { values: [
          { key: 'step', value: { stringValue: 'dlp' } },
          { key: 'outcome', value: { stringValue: 'redact' } },
          { key: 'detectors', value: { arrayValue: { values: [{ stringValue: 'aws-key' }, { stringValue: 'email' }] } } },
        ] } },
      ],
    },
  });
});

test('a resource read names the URI and is not a GenAI tool execution', () => {
  const attrs = attrsOf(auditEvent(3, { type: 'resource.read', method: 'resources/read', server: 'docs', resource: 'file:///handbook.md' }));
  assert.deepEqual(attrs.get('mcp.method.name'), { stringValue: 'resources/read' });
  assert.deepEqual(attrs.get('mcp.resource.uri'), { stringValue: 'file:///handbook.md' });
  assert.equal(attrs.has('gen_ai.operation.name'), false);
  assert.equal(attrs.has('gen_ai.tool.name'), false);
  assert.equal(attrs.has('error.type'), false);
});

test('severity: INFO normally, WARN for denied or declined, ERROR for failures', () => {
  const severity = (overrides: Partial<AuditEvent>) => {
    const record = recordOf(auditEvent(1, overrides));
    return `${record.severityNumber} ${record.severityText}`;
  };
  assert.equal(severity({ decision: 'allowed', status: 'ok' }), '9 INFO');
  assert.equal(severity({ decision: 'redacted' }), '9 INFO');
  assert.equal(severity({ type: 'elicitation', decision: 'answered' }), '9 INFO');
  assert.equal(severity({ decision: 'denied' }), '13 WARN');
  assert.equal(severity({ type: 'elicitation', decision: 'declined' }), '13 WARN');
  assert.equal(severity({ decision: 'failed' }), '17 ERROR');
  assert.equal(severity({ decision: 'allowed', status: 'error' }), '17 ERROR');
});

test('a tool that reported an error is error.type tool_error, as the MCP conventions ask', () => {
  assert.deepEqual(attrsOf(auditEvent(1, { method: 'tools/call', tool: 't', status: 'tool_error' })).get('error.type'), { stringValue: 'tool_error' });
  assert.deepEqual(attrsOf(auditEvent(1, { decision: 'failed' })).get('error.type'), { stringValue: '_OTHER' });
  assert.equal(attrsOf(auditEvent(1, { status: 'ok' })).has('error.type'), false);
});

test('events that are not MCP calls have no MCP method and are named by their type', () => {
  const record = recordOf(auditEvent(1, { type: 'policy.loaded', decision: 'recorded', details: { source: '/etc/gatehouse/policy.json' } }));
  const attrs = attributes(record.attributes);
  assert.equal(attrs.has('mcp.method.name'), false);
  assert.equal(record.eventName, 'gatehouse.policy.loaded');
  assert.deepEqual(record.body, { stringValue: 'policy.loaded' });
  assert.deepEqual(attrs.get('gatehouse.details'), { stringValue: '{"source":"/etc/gatehouse/policy.json"}' });
});

test('every value of every event type is a well-formed OTLP/JSON AnyValue', () => {
  const events = AUDIT_EVENT_TYPES.map((type, index) => auditEvent(index + 1, { ...deniedCall, id: auditEvent(index + 1).id, seq: index + 1, type }));
  const request = toOtlpLogs(events, resource);
  // What goes on the wire is JSON: nothing may be lost or changed by serialising it.
  assert.deepEqual(JSON.parse(JSON.stringify(request)), request);
  const checkValue = (value: AnyValue, where: string): void => {
    const keys = Object.keys(value);
    assert.equal(keys.length, 1, `${where}: one of stringValue/intValue/… exactly`);
    if ('stringValue' in value) assert.equal(typeof value.stringValue, 'string', where);
    else if ('intValue' in value) assert.match(value.intValue, /^-?\d+$/, where);
    else if ('doubleValue' in value) assert.ok(Number.isFinite(value.doubleValue), where);
    else if ('boolValue' in value) assert.equal(typeof value.boolValue, 'boolean', where);
    else if ('arrayValue' in value) value.arrayValue.values.forEach((item, i) => checkValue(item, `${where}[${i}]`));
    else if ('kvlistValue' in value) value.kvlistValue.values.forEach((kv) => checkValue(kv.value, `${where}.${kv.key}`));
    else assert.fail(`${where}: unknown AnyValue ${keys[0]}`);
  };
  for (const record of request.resourceLogs[0]!.scopeLogs[0]!.logRecords) {
    assert.match(record.timeUnixNano, /^\d+$/);
    assert.ok([9, 13, 17].includes(record.severityNumber));
    checkValue(record.body, 'body');
    for (const { key, value } of record.attributes) checkValue(value, key);
  }
});
