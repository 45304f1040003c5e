// The demo's incident-management server: read-only and destructive tools, a tool that asks the user
// for a missing field, one resource per incident and a prompt with argument completion. Enough
// surface for `gatehouse demo` to show authorization, approvals, elicitation and pinning on it.
import {
  McpServer,
  ResourceTemplate,
  acceptedContent,
  completable,
  inputRequired,
  inputResponse,
  type CallToolResult,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import { serveMcp, type McpHttpServer, type ServeMcpOptions } from './serve-http.js';
import {
  Incident,
  IncidentStatus,
  IncidentSummary,
  ONCALL,
  Severity,
  sampleIncidents,
  summarise,
  type Incident as IncidentRecord,
} from './incidents-data.js';

const RESOURCE_MIME = 'text/markdown';
const ReasonForm = z.object({ reason: z.string().min(3).max(500).describe('Why the on-call engineer is being paged') });

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });
const failure = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }], isError: true });
const uriOf = (id: string): string => `incidents://${id}`;

function render(incident: IncidentRecord): string {
  const timeline = incident.timeline.map((entry) => `- ${entry.at} ${entry.text}`).join('\n');
  return [
    `# ${incident.id}: ${incident.title}`,
    `Severity: ${incident.severity} · Status: ${incident.status} · Service: ${incident.service}`,
    `Commander: ${incident.commander} · Opened: ${incident.openedAt} · Updated: ${incident.updatedAt}`,
    '',
    incident.summary,
    '',
    '## Timeline',
    timeline,
  ].join('\n');
}

/** An McpServer over `incidents`, which is shared (and mutated) by every session of one demo server. */
export function createIncidentsServer(incidents: IncidentRecord[] = sampleIncidents()): McpServer {
  const find = (id: string): IncidentRecord | undefined => incidents.find((incident) => incident.id === id.trim().toUpperCase());
  const idsStartingWith = (prefix: string): string[] =>
    incidents.map((incident) => incident.id).filter((id) => id.startsWith(prefix.toUpperCase()));
  const unknown = (id: string): CallToolResult =>
    failure(`No incident ${id}. Known incidents: ${incidents.map((incident) => incident.id).join(', ')}.`);

  const server = new McpServer(
    { name: 'incidents', title: 'Incident desk', version: '1.0.0' },
    { instructions: 'Incident management: list and read incidents, update their status, page the on-call engineer.' },
  );

  server.registerTool(
    'list_incidents',
    {
      title: 'List incidents',
      description: 'Lists incidents, newest update first, optionally filtered by status and severity.',
      inputSchema: z.object({ status: IncidentStatus.optional(), severity: Severity.optional() }),
      outputSchema: z.object({ incidents: z.array(IncidentSummary), count: z.number().int() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ status, severity }) => {
      const matching = incidents
        .filter((incident) => (status === undefined || incident.status === status) && (severity === undefined || incident.severity === severity))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .map(summarise);
      const lines = matching.map((i) => `${i.id} [${i.severity} ${i.status}] ${i.service}: ${i.title}`);
      return {
        content: [{ type: 'text', text: lines.length > 0 ? lines.join('\n') : 'No incidents match.' }],
        structuredContent: { incidents: matching, count: matching.length },
      };
    },
  );

  server.registerTool(
    'get_incident',
    {
      title: 'Get incident',
      description: 'Returns one incident with its summary and timeline.',
      inputSchema: z.object({ id: z.string().describe('Incident id, e.g. INC-1001') }),
      outputSchema: Incident,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ id }) => {
      const incident = find(id);
      if (incident === undefined) return unknown(id);
      return { content: [{ type: 'text', text: render(incident) }], structuredContent: incident };
    },
  );

  server.registerTool(
    'update_incident_status',
    {
      title: 'Update incident status',
      description: 'Sets the status of an incident and records the change in its timeline.',
      inputSchema: z.object({ id: z.string(), status: IncidentStatus, note: z.string().max(500).optional() }),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ id, status, note }) => {
      const incident = find(id);
      if (incident === undefined) return unknown(id);
      const previous = incident.status;
      const at = new Date().toISOString();
      incident.status = status;
      incident.updatedAt = at;
      incident.timeline.push({ at, text: `Status ${previous} → ${status}${note === undefined ? '' : `: ${note}`}` });
      return text(`${incident.id} is now ${status} (was ${previous}).`);
    },
  );

  server.registerTool(
    'page_oncall',
    {
      title: 'Page on-call',
      description: 'Pages the on-call engineer of the incident\'s service. Needs a reason; asks the user for one when missing.',
      inputSchema: z.object({ incident_id: z.string(), reason: z.string().max(500).optional() }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ incident_id: id, reason }, ctx) => {
      const incident = find(id);
      if (incident === undefined) return unknown(id);
      const page = (why: string): CallToolResult => {
        const engineer = ONCALL[incident.service] ?? 'the platform on-call';
        incident.timeline.push({ at: new Date().toISOString(), text: `Paged ${engineer}: ${why}` });
        return text(`Paged ${engineer} (${incident.service} on-call) for ${incident.id}: ${why}`);
      };
      if (reason !== undefined && reason.trim() !== '') return page(reason.trim());

      // Second round: the client answered the form we asked for below.
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'reason');
      if (answer.kind === 'elicit') {
        if (answer.action !== 'accept') return failure(`Nobody was paged: the user chose to ${answer.action} giving a reason.`);
        const form = acceptedContent(ctx.mcpReq.inputResponses, 'reason', ReasonForm);
        if (form === undefined) return failure('Nobody was paged: the reason must be 3 to 500 characters.');
        return page(form.reason.trim());
      }
      // getClientCapabilities is marked deprecated for the 2026 era, where it is still backfilled per
      // request; it is the one accessor that answers on both eras.
      if (server.server.getClientCapabilities()?.elicitation === undefined) {
        return failure('Missing required field `reason`: say why the on-call engineer is being paged, then call page_oncall again with `reason` set.');
      }
      // inputRequired works on both eras: on 2025-era sessions the SDK sends a real elicitation/create
      // request and re-enters this handler with the answer.
      return inputRequired({
        inputRequests: {
          reason: inputRequired.elicit({ message: `Why page the ${incident.service} on-call for ${incident.id}?`, requestedSchema: ReasonForm }),
        },
      });
    },
  );

  server.registerResource(
    'incident',
    new ResourceTemplate('incidents://{id}', {
      list: () => ({
        resources: incidents.map((incident) => ({
          uri: uriOf(incident.id),
          name: incident.id,
          title: incident.title,
          mimeType: RESOURCE_MIME,
        })),
      }),
      complete: { id: (value) => idsStartingWith(value) },
    }),
    { title: 'Incident', description: 'One incident as a Markdown report', mimeType: RESOURCE_MIME },
    (uri, { id }) => {
      const incident = find(String(id));
      if (incident === undefined) throw new Error(`No incident ${String(id)}`);
      return { contents: [{ uri: uri.href, mimeType: RESOURCE_MIME, text: render(incident) }] };
    },
  );

  server.registerPrompt(
    'postmortem',
    {
      title: 'Draft a postmortem',
      description: 'Drafts a blameless postmortem for an incident.',
      argsSchema: z.object({
        incident_id: completable(z.string().describe('Incident id, e.g. INC-1001'), (value) => idsStartingWith(value)),
      }),
    },
    ({ incident_id: id }) => {
      const incident = find(id);
      if (incident === undefined) throw new Error(`No incident ${id}`);
      return {
        description: `Postmortem for ${incident.id}`,
        messages: [
          {
            role: 'user',
            content: {
              type: 'text',
              text: `Draft a blameless postmortem for ${incident.id} with sections: Summary, Impact, Timeline, Root cause, What went well, Action items.`,
            },
          },
          {
            role: 'user',
            content: { type: 'resource', resource: { uri: uriOf(incident.id), mimeType: RESOURCE_MIME, text: render(incident) } },
          },
        ],
      };
    },
  );

  return server;
}

/** Serves the incident desk on 127.0.0.1; every session sees the same (mutable) incidents. */
export async function startIncidentsServer(options: ServeMcpOptions = {}): Promise<McpHttpServer> {
  const incidents = sampleIncidents();
  return serveMcp(() => createIncidentsServer(incidents), options);
}
