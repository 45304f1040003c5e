// `gatehouse audit tail [-n N] [--follow] [--json] [filters]`: the last events, oldest first, and with
// --follow every new one as it is written. Reads the log read-only, so it runs beside the broker;
// new events are found by polling, because another process (the broker) writes them.
import { setTimeout as sleep } from 'node:timers/promises';
import { AUDIT_DECISIONS, AUDIT_EVENT_TYPES, type AuditEvent } from '../../../../common/audit-event.js';
import { GatehouseError } from '../../../../common/errors.js';
import { toJsonLines } from '../../../core/audit/export/jsonl.js';
import type { AuditStore } from '../../../core/audit/store/audit-store.js';
import type { Context } from '../../../host/context.js';
import { eventLine } from './event-line.js';
import { noLogYet, openExistingLog, withStore } from './open-log.js';

export const DEFAULT_TAIL_LINES = 20;
export const DEFAULT_POLL_MS = 500;
/** Most events read per query while following: a burst is printed in slices, never loaded whole. */
const FOLLOW_BATCH = 500;
const PAGE = 500;

export interface TailFlags {
  lines?: string;
  follow?: boolean;
  json?: boolean;
  server?: string[];
  tool?: string;
  client?: string;
  decision?: string;
  type?: string;
}

export interface TailFilter {
  server?: string;
  tool?: string;
  client?: string;
  decision?: string;
  type?: string;
}

export interface TailOptions {
  /** Stops --follow; the CLI aborts it on SIGINT/SIGTERM. */
  signal: AbortSignal;
  pollMs?: number;
}

export async function tail(ctx: Context, file: string, flags: TailFlags, options: TailOptions): Promise<void> {
  const count = parseCount(flags.lines);
  const filter = parseFilter(flags);
  const store = openExistingLog(file);
  // Not an error: nothing has happened yet. On stderr with --json, so stdout stays JSON lines.
  if (store === undefined) return (flags.json ? ctx.err : ctx.out)(`${noLogYet(file)}\n`);
  const print = (events: readonly AuditEvent[]) => {
    if (events.length === 0) return;
    ctx.out(flags.json ? toJsonLines(events) : events.map((event) => `${eventLine(event)}\n`).join(''));
  };
  await withStore(store, async () => {
    // The head first, then the events up to it: following resumes exactly where the tail ended.
    const head = store.head().seq;
    print(lastEvents(store, filter, count, head));
    if (flags.follow) await follow(store, filter, head, print, options);
  });
}

/** The last `count` events at or before `head` matching the filter, oldest first. */
function lastEvents(store: AuditStore, filter: TailFilter, count: number, head: number): AuditEvent[] {
  const newestFirst: AuditEvent[] = [];
  let before: number | undefined = head + 1;
  while (before !== undefined && newestFirst.length < count) {
    const page = store.page({ ...filter, before, limit: Math.min(PAGE, count - newestFirst.length) });
    newestFirst.push(...page.events);
    before = page.next;
  }
  return newestFirst.reverse();
}

async function follow(store: AuditStore, filter: TailFilter, from: number, print: (events: readonly AuditEvent[]) => void, options: TailOptions): Promise<void> {
  let last = from;
  while (!options.signal.aborted) {
    for (;;) {
      const batch = store.after(last, FOLLOW_BATCH);
      if (batch.length === 0) break;
      last = batch[batch.length - 1]!.seq;
      print(batch.filter((event) => matches(event, filter)));
    }
    try {
      await sleep(options.pollMs ?? DEFAULT_POLL_MS, undefined, { signal: options.signal });
    } catch {
      // Aborted: Ctrl-C ends --follow normally.
    }
  }
}

export function matches(event: AuditEvent, filter: TailFilter): boolean {
  return (Object.keys(filter) as (keyof TailFilter)[]).every((key) => filter[key] === undefined || event[key] === filter[key]);
}

function parseCount(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TAIL_LINES;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new GatehouseError('GATEHOUSE_USAGE', `-n must be a whole number of events (0 or more), not '${value}'`);
  return n;
}

export function parseFilter(flags: TailFlags): TailFilter {
  if ((flags.server?.length ?? 0) > 1) throw new GatehouseError('GATEHOUSE_USAGE', 'give --server once: audit tail filters on one server');
  const filter: TailFilter = {};
  const server = flags.server?.[0];
  if (server !== undefined) filter.server = server;
  if (flags.tool !== undefined) filter.tool = flags.tool;
  if (flags.client !== undefined) filter.client = flags.client;
  if (flags.decision !== undefined) filter.decision = oneOf('--decision', flags.decision, AUDIT_DECISIONS);
  if (flags.type !== undefined) filter.type = oneOf('--type', flags.type, AUDIT_EVENT_TYPES);
  return filter;
}

function oneOf(flag: string, value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) throw new GatehouseError('GATEHOUSE_USAGE', `${flag} must be one of ${allowed.join(', ')}; not '${value}'`);
  return value;
}
