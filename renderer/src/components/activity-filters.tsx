// The activity view's filters: server, tool, client, decision, event type, a time range and a text
// searched in the whole event. Applied with Enter or the Search button; Clear shows everything.
import { useId, useState, type FormEvent } from 'react';
import { AUDIT_DECISIONS, AUDIT_EVENT_TYPES } from '../../../common/audit-event.js';
import type { ActivityQuery } from '../../../common/ui-api.js';
import { fromLocalInput } from '../format.js';

export interface FilterDraft {
  server: string;
  tool: string;
  client: string;
  decision: string;
  type: string;
  since: string;
  until: string;
  text: string;
}

export const NO_FILTERS: FilterDraft = { server: '', tool: '', client: '', decision: '', type: '', since: '', until: '', text: '' };

/** The draft as a query: empty fields are left out, times read as local time. */
export function toQuery(draft: FilterDraft): Omit<ActivityQuery, 'limit' | 'before'> {
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const since = fromLocalInput(draft.since);
  const until = fromLocalInput(draft.until);
  return {
    ...(text(draft.server) ? { server: text(draft.server) } : {}),
    ...(text(draft.tool) ? { tool: text(draft.tool) } : {}),
    ...(text(draft.client) ? { client: text(draft.client) } : {}),
    ...((AUDIT_DECISIONS as readonly string[]).includes(draft.decision) ? { decision: draft.decision as (typeof AUDIT_DECISIONS)[number] } : {}),
    ...((AUDIT_EVENT_TYPES as readonly string[]).includes(draft.type) ? { type: draft.type as (typeof AUDIT_EVENT_TYPES)[number] } : {}),
    ...(since !== undefined ? { since } : {}),
    // The end of the chosen minute is included.
    ...(until !== undefined ? { until: until + 59_999 } : {}),
    ...(text(draft.text) ? { text: text(draft.text) } : {}),
  };
}

export interface ActivityFiltersProps {
  onApply(draft: FilterDraft): void;
  /** Suggestions for the server, tool and client fields. */
  known: { servers: readonly string[]; tools: readonly string[]; clients: readonly string[] };
}

export function ActivityFilters({ onApply, known }: ActivityFiltersProps) {
  const id = useId();
  const [draft, setDraft] = useState<FilterDraft>(NO_FILTERS);
  const set = (key: keyof FilterDraft) => (event: { target: { value: string } }) => setDraft((old) => ({ ...old, [key]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const clear = () => {
    setDraft(NO_FILTERS);
    onApply(NO_FILTERS);
  };
  const field = (key: 'server' | 'tool' | 'client', label: string, options: readonly string[]) => (
    <div className="filter">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} type="text" list={`${id}-${key}-list`} autoComplete="off" value={draft[key]} onChange={set(key)} />
      <datalist id={`${id}-${key}-list`}>
        {options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
    </div>
  );
  return (
    <form className="filters" role="search" aria-label="Filter the activity" onSubmit={submit}>
      <div className="filter search">
        <label htmlFor={`${id}-text`}>Search</label>
        <input id={`${id}-text`} type="search" autoComplete="off" placeholder="Any text in the event" value={draft.text} onChange={set('text')} />
      </div>
      {field('server', 'Server', known.servers)}
      {field('tool', 'Tool', known.tools)}
      {field('client', 'Client', known.clients)}
      <div className="filter">
        <label htmlFor={`${id}-decision`}>Decision</label>
        <select id={`${id}-decision`} value={draft.decision} onChange={set('decision')}>
          <option value="">Any</option>
          {AUDIT_DECISIONS.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${id}-type`}>Event type</label>
        <select id={`${id}-type`} value={draft.type} onChange={set('type')}>
          <option value="">Any</option>
          {AUDIT_EVENT_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${id}-since`}>From</label>
        <input id={`${id}-since`} type="datetime-local" value={draft.since} onChange={set('since')} />
      </div>
      <div className="filter">
        <label htmlFor={`${id}-until`}>To</label>
        <input id={`${id}-until`} type="datetime-local" value={draft.until} onChange={set('until')} />
      </div>
      <div className="filter-actions">
        <button type="submit" className="allow">
          Search
        </button>
        <button type="button" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}
