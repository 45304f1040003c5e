// `gatehouse audit export --format jsonl|otlp|ocsf [--since ISO] [--until ISO] [--out FILE]`: the
// whole log (or a time window of it) in a collector's format, streamed a page at a time, one JSON
// document per line: jsonl one event per line, otlp one ExportLogsServiceRequest per page, ocsf one
// API Activity (class 6003) object per event.
import { hostname } from 'node:os';
import type { AuditEvent } from '../../../../common/audit-event.js';
import { GatehouseError } from '../../../../common/errors.js';
import { GATEHOUSE_VERSION } from '../../../../common/version.js';
import { toJsonLines } from '../../../core/audit/export/jsonl.js';
import { toOcsf } from '../../../core/audit/export/ocsf.js';
import { toOtlpLogs } from '../../../core/audit/export/otlp.js';
import type { Context } from '../../../host/context.js';
import { privateFileOutput, stdoutOutput, type ExportOutput } from './export-output.js';
import { requireLog, withStore } from './open-log.js';

export const EXPORT_FORMATS = ['jsonl', 'otlp', 'ocsf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Events read per query, and per OTLP request object. */
export const EXPORT_PAGE = 1000;

export interface ExportFlags {
  format?: string;
  since?: string;
  until?: string;
  out?: string;
}

export async function exportLog(ctx: Context, file: string, flags: ExportFlags): Promise<void> {
  const format = parseFormat(flags.format);
  const since = parseTime('--since', flags.since);
  const until = parseTime('--until', flags.until);
  if (since !== undefined && until !== undefined && since > until) throw new GatehouseError('GATEHOUSE_USAGE', '--since is after --until: nothing could match');
  const encode = encoder(format, { version: GATEHOUSE_VERSION, host: hostname() });
  const inWindow = (event: AuditEvent) => (since === undefined || event.time >= since) && (until === undefined || event.time <= until);

  await withStore(requireLog(file), async (store) => {
    const output: ExportOutput = flags.out === undefined ? stdoutOutput(ctx) : await openOut(flags.out);
    let exported = 0;
    try {
      // The log as it was when the export began: a busy broker must not keep it running forever.
      const head = store.head().seq;
      // Oldest first, by seq: event times come from producers, so a window is a filter, not a range scan.
      for (let seq = 0; seq < head; ) {
        const page = store.after(seq, EXPORT_PAGE);
        if (page.length === 0) break;
        seq = page[page.length - 1]!.seq;
        const events = page.filter((event) => event.seq <= head && inWindow(event));
        if (events.length === 0) continue;
        await output.write(encode(events));
        exported += events.length;
      }
      await output.finish();
    } catch (error) {
      await output.abandon();
      throw error;
    }
    if (flags.out !== undefined) ctx.out(`Exported ${exported} event(s) as ${format} to ${flags.out} (readable by you only).\n`);
  });
}

async function openOut(file: string): Promise<ExportOutput> {
  try {
    return await privateFileOutput(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new GatehouseError('GATEHOUSE_USAGE', `cannot write ${file} (${code}): check that its folder exists and that you may write to it`, { cause: error });
  }
}

function encoder(format: ExportFormat, product: { version: string; host: string }): (events: AuditEvent[]) => string {
  switch (format) {
    case 'jsonl':
      return toJsonLines;
    case 'otlp':
      // All events of one log share its device id, the OTLP resource's service.instance.id.
      return (events) => `${JSON.stringify(toOtlpLogs(events, { ...product, device: events[0]!.device }))}\n`;
    case 'ocsf':
      return (events) => events.map((event) => `${JSON.stringify(toOcsf(event, product))}\n`).join('');
  }
}

function parseFormat(value: string | undefined): ExportFormat {
  const format = EXPORT_FORMATS.find((f) => f === value);
  if (format === undefined) {
    throw new GatehouseError(
      'GATEHOUSE_USAGE',
      value === undefined
        ? `say which format: gatehouse audit export --format ${EXPORT_FORMATS.join('|')}`
        : `--format must be one of ${EXPORT_FORMATS.join(', ')}; not '${value}'`,
    );
  }
  return format;
}

function parseTime(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // ISO 8601 only: Date.parse also takes "3/4/2026", whose meaning depends on who reads it. Without
  // a zone it is local time, a date alone included (Date.parse would read that one as UTC).
  const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
  const time = iso ? Date.parse(value.length === 10 ? `${value}T00:00` : value) : Number.NaN;
  if (Number.isNaN(time)) throw new GatehouseError('GATEHOUSE_USAGE', `${flag} must be an ISO 8601 date or time such as 2026-11-22 or 2026-11-22T09:30:00Z; not '${value}'`);
  return time;
}
