// Each server's health as the broker last saw it, across every client session: sessions connect
// their own upstreams, but the user (dashboard, tray) and the audit trail want one answer per server.
// An outage is recorded once when the first session sees it, not once per connected IDE.
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { Clock } from '../ports/clock.js';
import type { UpstreamState } from '../upstream/upstream-session.js';

export type ServerHealthState = 'unknown' | 'connecting' | 'ready' | 'down' | 'waiting-for-sign-in';

export interface ServerHealthEntry {
  state: ServerHealthState;
  /** Why it is down, when it is. */
  error?: string;
  /** Since when it has been in this state (ms since the epoch). */
  since: number;
}

export class ServerHealth {
  private readonly entries = new Map<string, ServerHealthEntry>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    private readonly audit?: AuditRecorder,
  ) {}

  get(serverId: string): ServerHealthEntry {
    return this.entries.get(serverId) ?? { state: 'unknown', since: this.clock.now() };
  }

  /** A session's upstream for `serverId` changed state. */
  update(serverId: string, state: UpstreamState, options: { error?: Error; waitsForAuth?: boolean } = {}): void {
    const next: ServerHealthState | undefined =
      state === 'ready' ? 'ready' : state === 'connecting' ? 'connecting' : state === 'down' ? (options.waitsForAuth ? 'waiting-for-sign-in' : 'down') : undefined;
    // idle and closed say only that a session ended, not how the server is.
    if (next === undefined) return;
    const previous = this.entries.get(serverId);
    // A second session connecting to a server already known ready says nothing new.
    if (next === 'connecting' && previous?.state === 'ready') return;
    if (previous?.state === next && previous.error === options.error?.message) return;
    this.entries.set(serverId, { state: next, ...(options.error ? { error: options.error.message } : {}), since: this.clock.now() });
    if (next === 'down' && previous?.state !== 'down') {
      void this.audit?.record({ type: 'error', server: serverId, decision: 'recorded', code: 'GATEHOUSE_SERVER_UNAVAILABLE', reason: `server '${serverId}' is unavailable: ${options.error?.message ?? 'no answer'}` });
    }
    if (next === 'ready' && previous?.state === 'down') {
      void this.audit?.record({ type: 'error', server: serverId, decision: 'recorded', reason: `server '${serverId}' is available again` });
    }
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
