// The audit log: filtered and searched by the host, newest first, one page at a time (keyset: each
// page's `next` is the following page's `before`), so 100,000 events cost what 50 do. While live,
// each change the host announces reloads the first page and keeps the older pages already shown.
// #/activity/<seq> shows one event in detail beside the list.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AuditEvent } from '../../../common/audit-event.js';
import type { ActivityPage, GatehouseApi, UiError } from '../../../common/ui-api.js';
import { ActivityFilters, NO_FILTERS, toQuery, type FilterDraft } from '../components/activity-filters.js';
import { ActivityTable } from '../components/activity-table.js';
import { CallError } from '../components/call-error.js';
import { ChainStatus } from '../components/chain-status.js';
import { EventDetail } from '../components/event-detail.js';
import { ViewHeading } from '../components/view-heading.js';
import { formatCount } from '../format.js';
import { href } from '../route.js';
import { useCall } from '../use-call.js';

export const PAGE_SIZE = 50;

interface Loaded {
  events: AuditEvent[];
  next: number | undefined;
  pages: number;
}

export function ActivityView({ api, focus, seq }: { api: GatehouseApi; focus: boolean; seq: number | undefined }) {
  const ids = useId();
  const [filters, setFilters] = useState<FilterDraft>(NO_FILTERS);
  const query = useMemo(() => toQuery(filters), [filters]);
  const queryKey = JSON.stringify(query);
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<UiError>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [live, setLive] = useState(true);
  const liveRef = useRef(live);
  useEffect(() => {
    liveRef.current = live;
  }, [live]);
  const latest = useRef(0);
  const focusAfter = useRef<number>(undefined);

  const loadFirst = useCallback(async () => {
    const mine = ++latest.current;
    const result = await api.call('activity.query', { ...(JSON.parse(queryKey) as typeof query), limit: PAGE_SIZE });
    if (mine !== latest.current) return;
    if (!result.ok) return setError(result.error);
    setError(undefined);
    setLoaded((old) => withFirstPage(old, result.value));
  }, [api, queryKey]);

  // A new query starts from its first page; while live, every announced change reloads it.
  useEffect(() => {
    setLoaded(undefined);
    void loadFirst();
    const stop = api.subscribe('activity', () => {
      if (liveRef.current) void loadFirst();
    });
    return () => {
      latest.current++;
      stop();
    };
  }, [api, loadFirst]);

  const loadOlder = async () => {
    const before = loaded?.next;
    if (before === undefined || loadingOlder) return;
    setLoadingOlder(true);
    const result = await api.call('activity.query', { ...query, before, limit: PAGE_SIZE });
    setLoadingOlder(false);
    if (!result.ok) return setError(result.error);
    const first = result.value.events[0];
    focusAfter.current = first?.seq;
    setLoaded((old) => (old && old.next === before ? { events: [...old.events, ...result.value.events], next: result.value.next, pages: old.pages + 1 } : old));
  };

  // After "Load older", the keyboard continues at the first event it added.
  useEffect(() => {
    const seqToFocus = focusAfter.current;
    if (seqToFocus === undefined) return;
    focusAfter.current = undefined;
    document.querySelector<HTMLElement>(`tr[data-seq="${seqToFocus}"] a`)?.focus();
  }, [loaded]);

  const selected = useSelectedEvent(api, seq, loaded?.events);
  const close = () => {
    location.hash = href('activity');
  };
  // Leaving the detail (Close, Escape, Back), the keyboard continues at the row it was opened from.
  const shown = useRef(seq);
  useEffect(() => {
    const was = shown.current;
    shown.current = seq;
    if (was !== undefined && seq === undefined) document.querySelector<HTMLElement>(`tr[data-seq="${was}"] a`)?.focus();
  }, [seq]);

  const known = useKnownNames(api);
  const count = loaded?.events.length ?? 0;
  return (
    <div className="view activity-view">
      <ViewHeading focus={focus && seq === undefined}>Activity</ViewHeading>
      <ActivityFilters onApply={setFilters} known={known} />
      <div className={`activity-layout ${seq !== undefined ? 'with-detail' : ''}`}>
        <section className="card events" aria-labelledby={`${ids}-title`}>
          <div className="events-head">
            <h2 id={`${ids}-title`}>Events</h2>
            <label className="inline">
              <input
                type="checkbox"
                checked={live}
                onChange={(e) => {
                  setLive(e.target.checked);
                  if (e.target.checked) void loadFirst(); // what happened while paused
                }}
              /> Live: show new events as they happen
            </label>
          </div>
          <p role="status" className="muted" data-testid="activity-count">
            {loaded === undefined
              ? 'Loading…'
              : count === 0
                ? 'No events match.'
                : count === 1 && loaded.next === undefined
                  ? 'Showing the only event that matches.'
                  : `Showing the ${formatCount(count)} newest events that match${loaded.next !== undefined ? '; older ones follow' : ''}.`}
          </p>
          {error ? <CallError error={error} what="The activity cannot be shown" /> : null}
          {loaded !== undefined && count > 0 ? <ActivityTable events={loaded.events} selected={seq} captionId={`${ids}-title`} /> : null}
          {loaded?.next !== undefined ? (
            <div className="actions">
              <button type="button" disabled={loadingOlder} onClick={() => void loadOlder()}>
                {loadingOlder ? 'Loading…' : `Load ${PAGE_SIZE} older events`}
              </button>
            </div>
          ) : null}
        </section>
        {seq !== undefined ? (
          <div className="detail-pane">
            {selected === undefined ? (
              <p className="muted">Loading event {seq}…</p>
            ) : !selected.ok ? (
              <div className="card">
                <CallError error={selected.error} what={`Event ${seq} cannot be shown`} />
                <a href={href('activity')}>Back to the list</a>
              </div>
            ) : (
              <EventDetail event={selected.value} onClose={close} />
            )}
          </div>
        ) : null}
      </div>
      <ChainStatus api={api} />
    </div>
  );
}

/** The first page just read, followed by the older pages already shown (they have not changed). */
function withFirstPage(old: Loaded | undefined, first: ActivityPage): Loaded {
  if (old === undefined || old.pages <= 1 || first.next === undefined) return { events: first.events, next: first.next, pages: 1 };
  const oldest = first.events[first.events.length - 1]!.seq;
  return { events: [...first.events, ...old.events.filter((e) => e.seq < oldest)], next: old.next, pages: old.pages };
}

type Selected = { ok: true; value: AuditEvent } | { ok: false; error: UiError };

/** The event #/activity/<seq> names: from the list when it is there, else read by itself. */
function useSelectedEvent(api: GatehouseApi, seq: number | undefined, events: readonly AuditEvent[] | undefined): Selected | undefined {
  const inList = seq === undefined ? undefined : events?.find((e) => e.seq === seq);
  const [read, setRead] = useState<{ seq: number; selected: Selected }>();
  useEffect(() => {
    if (seq === undefined || inList !== undefined || read?.seq === seq) return;
    let alive = true;
    void api.call('activity.query', { before: seq + 1, limit: 1 }).then((result) => {
      if (!alive) return;
      const event = result.ok ? result.value.events[0] : undefined;
      const selected: Selected = !result.ok
        ? result
        : event?.seq === seq
          ? { ok: true, value: event }
          : { ok: false, error: { code: 'GATEHOUSE_NOT_FOUND', message: `There is no event ${seq} in the audit log (retention may have removed it).` } };
      setRead({ seq, selected });
    });
    return () => {
      alive = false;
    };
  }, [api, seq, inList, read?.seq]);
  if (seq === undefined) return undefined;
  if (inList !== undefined) return { ok: true, value: inList };
  return read?.seq === seq ? read.selected : undefined;
}

/** Server, tool and client names to suggest in the filters, from the dashboard. */
function useKnownNames(api: GatehouseApi): { servers: string[]; tools: string[]; clients: string[] } {
  const { result } = useCall(api, 'dashboard.get', {});
  return useMemo(() => {
    if (result === undefined || !result.ok) return { servers: [], tools: [], clients: [] };
    const { servers, clients } = result.value;
    return {
      servers: servers.map((s) => s.id),
      tools: [...new Set(servers.flatMap((s) => s.tools.map((t) => t.name)))].sort(),
      clients: clients.map((c) => c.name),
    };
  }, [result]);
}
