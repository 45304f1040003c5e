// Audit events as OTLP/HTTP JSON logs (POST /v1/logs, application/json), the format every
// OpenTelemetry collector and most SIEM agents accept. The JSON follows OTLP's protobuf-JSON rules:
// 64-bit integers (timestamps, intValue) are decimal strings, enums are numbers, keys lowerCamelCase.
// Attribute names follow the OpenTelemetry semantic conventions for MCP and GenAI where one fits,
// so dashboards built for instrumented MCP clients and servers read Gatehouse too; the rest is under
// `gatehouse.*`.
import type { AuditEvent, AuditStep } from '../../../../common/audit-event.js';
import { methodOf, resultOf, severityOf, summaryOf, type AuditSeverity } from './event-outcome.js';

export const OTLP_CONTENT_TYPE = 'application/json';
export const OTLP_SCOPE_NAME = 'gatehouse.audit';

export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: KeyValue[] } };

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  /** The LogRecord field that supersedes the `event.name` attribute; older receivers ignore it. */
  eventName: string;
  body: AnyValue;
  attributes: KeyValue[];
}

export interface ExportLogsServiceRequest {
  resourceLogs: {
    resource: { attributes: KeyValue[] };
    scopeLogs: { scope: { name: string; version: string }; logRecords: OtlpLogRecord[] }[];
  }[];
}

export interface OtlpResource {
  /** This device's audit log id: `service.instance.id`. */
  device: string;
  /** Gatehouse's version: `service.version` and the scope version. */
  version: string;
  host?: string;
}

const SEVERITY: Record<AuditSeverity, { number: number; text: string }> = {
  info: { number: 9, text: 'INFO' },
  warn: { number: 13, text: 'WARN' },
  error: { number: 17, text: 'ERROR' },
};

/** The value OpenTelemetry reserves for an error class that has no better name. */
const OTHER_ERROR = '_OTHER';

export function toOtlpLogs(events: readonly AuditEvent[], resource: OtlpResource): ExportLogsServiceRequest {
  const resourceAttributes = [
    str('service.name', 'gatehouse'),
    str('service.version', resource.version),
    str('service.instance.id', resource.device),
    ...(resource.host === undefined ? [] : [str('host.name', resource.host)]),
  ];
  return {
    resourceLogs: [{
      resource: { attributes: resourceAttributes },
      scopeLogs: [{ scope: { name: OTLP_SCOPE_NAME, version: resource.version }, logRecords: events.map(toLogRecord) }],
    }],
  };
}

function toLogRecord(event: AuditEvent): OtlpLogRecord {
  const severity = SEVERITY[severityOf(event)];
  const nanos = (BigInt(event.time) * 1_000_000n).toString();
  return {
    timeUnixNano: nanos,
    // Gatehouse observes what it records at the moment it records it.
    observedTimeUnixNano: nanos,
    severityNumber: severity.number,
    severityText: severity.text,
    eventName: eventName(event),
    body: { stringValue: summaryOf(event) },
    attributes: attributesOf(event),
  };
}

function eventName(event: AuditEvent): string {
  return `gatehouse.${event.type}`;
}

function attributesOf(event: AuditEvent): KeyValue[] {
  const method = methodOf(event);
  const attributes: (KeyValue | undefined)[] = [
    str('event.name', eventName(event)),
    // Collectors and SIEMs deduplicate on it, which is what makes redelivery after a lost answer safe.
    str('log.record.uid', event.id),
    optStr('mcp.method.name', method),
    optStr('mcp.session.id', event.session),
    optStr('gen_ai.tool.name', event.tool),
    method === 'tools/call' ? str('gen_ai.operation.name', 'execute_tool') : undefined,
    optStr('mcp.resource.uri', event.resource),
    optStr('error.type', errorType(event)),
    optStr('enduser.id', event.user),
    str('gatehouse.decision', event.decision),
    optStr('gatehouse.code', event.code),
    optStr('gatehouse.reason', event.reason),
    optStr('gatehouse.status', event.status),
    { key: 'gatehouse.seq', value: { intValue: String(event.seq) } },
    optStr('gatehouse.client', event.client),
    optStr('gatehouse.server', event.server),
    event.latencyMs === undefined ? undefined : { key: 'gatehouse.latency_ms', value: { doubleValue: event.latencyMs } },
    event.steps === undefined ? undefined : { key: 'gatehouse.steps', value: { arrayValue: { values: event.steps.map(stepValue) } } },
    // A string, not a kvlist: arguments are whatever the agent sent, and backends that flatten
    // kvlists would grow a field per argument name.
    event.arguments === undefined ? undefined : str('gatehouse.arguments', JSON.stringify(event.arguments)),
    optStr('gatehouse.arguments_hash', event.argumentsHash),
    event.details === undefined ? undefined : str('gatehouse.details', JSON.stringify(event.details)),
    str('gatehouse.prev_hash', event.prevHash),
    str('gatehouse.hash', event.hash),
  ];
  return attributes.filter((attribute) => attribute !== undefined);
}

/** As the MCP conventions ask: `tool_error` for a result with isError, else the error's code. */
function errorType(event: AuditEvent): string | undefined {
  if (resultOf(event) !== 'failure') return undefined;
  if (event.status === 'tool_error') return 'tool_error';
  return event.code ?? OTHER_ERROR;
}

function stepValue(step: AuditStep): AnyValue {
  const values: (KeyValue | undefined)[] = [
    str('step', step.step),
    str('outcome', step.outcome),
    optStr('code', step.code),
    step.detectors === undefined ? undefined : { key: 'detectors', value: { arrayValue: { values: step.detectors.map((d) => ({ stringValue: d })) } } },
    step.ms === undefined ? undefined : { key: 'ms', value: { doubleValue: step.ms } },
  ];
  return { kvlistValue: { values: values.filter((value) => value !== undefined) } };
}

function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

function optStr(key: string, value: string | undefined): KeyValue | undefined {
  return value === undefined ? undefined : str(key, value);
}
