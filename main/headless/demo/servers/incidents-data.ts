// The incident desk's sample data: five incidents across services and severities, so filters,
// resources and completions in the demo have something realistic to show.
import * as z from 'zod';

export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'investigating', 'mitigated', 'resolved'] as const;
export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export const Severity = z.enum(SEVERITIES);

export const TimelineEntry = z.object({ at: z.string(), text: z.string() });

export const Incident = z.object({
  id: z.string(),
  title: z.string(),
  status: IncidentStatus,
  severity: Severity,
  service: z.string(),
  commander: z.string(),
  openedAt: z.string(),
  updatedAt: z.string(),
  summary: z.string(),
  timeline: z.array(TimelineEntry),
});
export type Incident = z.infer<typeof Incident>;
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const IncidentSummary = Incident.pick({ id: true, title: true, status: true, severity: true, service: true, updatedAt: true });
export type IncidentSummary = z.infer<typeof IncidentSummary>;

export const ONCALL: Readonly<Record<string, string>> = {
  checkout: 'Priya Raman',
  payments: 'Tomás Oliveira',
  search: 'Mei Chen',
  identity: 'Jonas Becker',
  notifications: 'Aisha Bello',
};

const SAMPLE: readonly Incident[] = [
  {
    id: 'INC-1001',
    title: 'Checkout returns HTTP 502 for 30% of EU requests',
    status: 'investigating',
    severity: 'SEV1',
    service: 'checkout',
    commander: 'Priya Raman',
    openedAt: '2026-10-12T08:14:00Z',
    updatedAt: '2026-10-12T08:41:00Z',
    summary: 'Elevated 502s from the eu-west checkout pool after the 08:00 deploy of checkout-api 4.18.2.',
    timeline: [
      { at: '2026-10-12T08:14:00Z', text: 'Alert: checkout 5xx rate above 5% in eu-west.' },
      { at: '2026-10-12T08:20:00Z', text: 'Priya Raman acknowledged and took command.' },
      { at: '2026-10-12T08:41:00Z', text: 'Rollback of checkout-api 4.18.2 started.' },
    ],
  },
  {
    id: 'INC-1002',
    title: 'Card authorisations slow at the payment gateway',
    status: 'mitigated',
    severity: 'SEV2',
    service: 'payments',
    commander: 'Tomás Oliveira',
    openedAt: '2026-10-11T22:03:00Z',
    updatedAt: '2026-10-12T01:15:00Z',
    summary: 'p99 authorisation latency rose to 4.2 s; traffic shifted to the secondary acquirer.',
    timeline: [
      { at: '2026-10-11T22:03:00Z', text: 'Alert: payment authorisation p99 above 2 s.' },
      { at: '2026-10-11T23:30:00Z', text: 'Traffic shifted to the secondary acquirer.' },
      { at: '2026-10-12T01:15:00Z', text: 'Latency back under SLO; waiting on the acquirer RCA.' },
    ],
  },
  {
    id: 'INC-1003',
    title: 'Search index lagging behind catalogue updates',
    status: 'acknowledged',
    severity: 'SEV3',
    service: 'search',
    commander: 'Mei Chen',
    openedAt: '2026-10-12T06:50:00Z',
    updatedAt: '2026-10-12T07:05:00Z',
    summary: 'Indexer consumer lag at 45 minutes; new products missing from search results.',
    timeline: [
      { at: '2026-10-12T06:50:00Z', text: 'Alert: indexer consumer lag above 15 minutes.' },
      { at: '2026-10-12T07:05:00Z', text: 'Mei Chen acknowledged.' },
    ],
  },
  {
    id: 'INC-1004',
    title: 'SSO logins failing for one enterprise tenant',
    status: 'triggered',
    severity: 'SEV2',
    service: 'identity',
    commander: 'Jonas Becker',
    openedAt: '2026-10-12T09:02:00Z',
    updatedAt: '2026-10-12T09:02:00Z',
    summary: 'SAML assertions from tenant acme-corp rejected: signing certificate rotated without notice.',
    timeline: [{ at: '2026-10-12T09:02:00Z', text: 'Customer escalation: acme-corp users cannot sign in.' }],
  },
  {
    id: 'INC-1005',
    title: 'Duplicate push notifications on Android',
    status: 'resolved',
    severity: 'SEV4',
    service: 'notifications',
    commander: 'Aisha Bello',
    openedAt: '2026-10-09T14:20:00Z',
    updatedAt: '2026-10-10T10:00:00Z',
    summary: 'A retry loop in the FCM sender delivered some notifications twice; fixed in sender 2.3.1.',
    timeline: [
      { at: '2026-10-09T14:20:00Z', text: 'Support reports duplicate notifications.' },
      { at: '2026-10-10T10:00:00Z', text: 'Sender 2.3.1 deployed; duplicates stopped.' },
    ],
  },
];

/** A fresh, independent copy, so every server instance (and every test) starts from the same state. */
export function sampleIncidents(): Incident[] {
  return structuredClone([...SAMPLE]);
}

export function summarise(incident: Incident): IncidentSummary {
  const { id, title, status, severity, service, updatedAt } = incident;
  return { id, title, status, severity, service, updatedAt };
}
