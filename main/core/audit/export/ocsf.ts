// Audit events as OCSF API Activity (class 6003), the shape Security Lake, Splunk's OCSF add-on and
// most SIEM pipelines normalise to. Every Gatehouse event type maps to this one class: MCP calls are
// API calls, and the others (sign-in, policy, sessions) are Gatehouse's own API, named by their type.
// Targets OCSF 1.3.0: 1.7 gives metadata.uid a new meaning and 1.9 deprecates actor.app_name, so
// moving on is a deliberate change, not a version bump.
import type { AuditEvent } from '../../../../common/audit-event.js';
import { methodOf, resultOf, severityOf, summaryOf, type AuditResult, type AuditSeverity } from './event-outcome.js';

export const OCSF_VERSION = '1.3.0';

const API_ACTIVITY = { classUid: 6003, className: 'API Activity', categoryUid: 6, categoryName: 'Application Activity' } as const;

const ACTIVITY = { read: { id: 2, name: 'Read' }, other: { id: 99 } } as const;

const SEVERITY: Record<AuditSeverity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  warn: { id: 2, name: 'Low' },
  error: { id: 3, name: 'Medium' },
};

const STATUS: Record<AuditResult, { id: number; name: string }> = {
  success: { id: 1, name: 'Success' },
  failure: { id: 2, name: 'Failure' },
  // OCSF has no "cancelled"; Other with the caption is its way of saying so.
  cancelled: { id: 99, name: 'Cancelled' },
};

/** The security_control profile's verdict, for events where Gatehouse's guard decided something. */
interface Control {
  action_id: 1 | 2;
  action: 'Allowed' | 'Denied';
  disposition_id: number;
  disposition: string;
}

export interface OcsfProduct {
  /** Gatehouse's version. */
  version: string;
  /** This machine's name, when known: the source endpoint's hostname. */
  host?: string;
}

export type OcsfApiActivity = Record<string, unknown> & {
  class_uid: 6003;
  category_uid: 6;
  activity_id: number;
  type_uid: number;
  time: number;
  severity_id: number;
  metadata: Record<string, unknown>;
};

export function toOcsf(event: AuditEvent, product: OcsfProduct): OcsfApiActivity {
  const method = methodOf(event);
  const operation = method ?? event.type;
  const activity = method === 'resources/read' ? ACTIVITY.read : { id: ACTIVITY.other.id, name: operation };
  const severity = SEVERITY[severityOf(event)];
  const status = STATUS[resultOf(event)];
  const control = controlOf(event);
  return compact({
    class_uid: API_ACTIVITY.classUid,
    class_name: API_ACTIVITY.className,
    category_uid: API_ACTIVITY.categoryUid,
    category_name: API_ACTIVITY.categoryName,
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: API_ACTIVITY.classUid * 100 + activity.id,
    type_name: `${API_ACTIVITY.className}: ${activity.id === ACTIVITY.other.id ? 'Other' : activity.name}`,
    time: event.time,
    severity_id: severity.id,
    severity: severity.name,
    status_id: status.id,
    status: status.name,
    status_code: event.code ?? event.status,
    status_detail: event.reason,
    message: summaryOf(event),
    duration: event.latencyMs === undefined ? undefined : Math.round(event.latencyMs),
    api: compact({ operation, service: event.server === undefined ? undefined : { name: event.server } }),
    actor: actorOf(event),
    src_endpoint: compact({ uid: event.device, hostname: product.host }),
    resources: resourcesOf(event),
    ...control,
    metadata: compact({
      uid: event.id,
      sequence: event.seq,
      event_code: event.type,
      product: { name: 'Gatehouse', vendor_name: 'Gatehouse', version: product.version },
      version: OCSF_VERSION,
      profiles: control === undefined ? undefined : ['security_control'],
    }),
    unmapped: { gatehouse: unmappedOf(event) },
  }) as OcsfApiActivity;
}

/** OCSF requires an actor; events nobody in particular caused (policy loaded, store opened) are Gatehouse's own. */
function actorOf(event: AuditEvent): Record<string, unknown> {
  if (event.user === undefined && event.client === undefined && event.session === undefined) return { app_name: 'Gatehouse' };
  return compact({
    user: event.user === undefined ? undefined : { uid: event.user },
    app_name: event.client,
    session: event.session === undefined ? undefined : { uid: event.session },
  });
}

function resourcesOf(event: AuditEvent): Record<string, unknown>[] | undefined {
  if (event.resource !== undefined) return [{ type: 'MCP resource', uid: event.resource }];
  if (event.tool !== undefined) return [compact({ type: 'MCP tool', name: event.tool, uid: event.server === undefined ? undefined : `${event.server}/${event.tool}` })];
  return undefined;
}

function controlOf(event: AuditEvent): Control | undefined {
  if (event.type === 'tool.quarantined') return { action_id: 2, action: 'Denied', disposition_id: 3, disposition: 'Quarantined' };
  switch (event.decision) {
    case 'allowed':
      return { action_id: 1, action: 'Allowed', disposition_id: 1, disposition: 'Allowed' };
    case 'redacted':
      // Let through with DLP matches masked: OCSF has no disposition for that, so Other with our word.
      return { action_id: 1, action: 'Allowed', disposition_id: 99, disposition: 'Redacted' };
    case 'denied':
      return { action_id: 2, action: 'Denied', disposition_id: 2, disposition: 'Blocked' };
    default:
      return undefined;
  }
}

function unmappedOf(event: AuditEvent): Record<string, unknown> {
  return compact({
    type: event.type,
    decision: event.decision,
    code: event.code,
    status: event.status,
    seq: event.seq,
    device: event.device,
    client: event.client,
    server: event.server,
    tool: event.tool,
    method: event.method,
    resource: event.resource,
    latency_ms: event.latencyMs,
    steps: event.steps,
    arguments: event.arguments,
    arguments_hash: event.argumentsHash,
    details: event.details,
    prev_hash: event.prevHash,
    hash: event.hash,
  });
}

function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
