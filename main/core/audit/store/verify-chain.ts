// `gatehouse audit verify`: walks the chain from its start (or from the checkpoint retention left)
// and reports the first place it breaks. Each row is checked three ways: its hash is the hash of its
// body, its body continues the previous event's hash, and the columns queries use agree with the body.
import { sha256Hex } from '../../guard/pinning/tool-hash.js';
import { GENESIS_HASH, type AuditStore, type EventRow } from './audit-store.js';

export type BreakKind = 'edited' | 'deleted' | 'reordered' | 'malformed';

export interface ChainBreak {
  kind: BreakKind;
  /** The seq of the first row that does not check out (or the first missing one). */
  seq: number;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Events checked before the first break (all of them when ok). */
  checked: number;
  firstSeq: number | undefined;
  lastSeq: number | undefined;
  /** Where the walk started: the log's beginning or a retention checkpoint. */
  from: 'genesis' | 'checkpoint';
  break?: ChainBreak;
}

const COLUMNS = ['id', 'time', 'type', 'user', 'client', 'session', 'server', 'tool', 'decision'] as const;

/** Rows read per query; between slices the async walk lets the broker's other work run. */
const SLICE = 2_000;

export function verifyChain(store: AuditStore): VerifyReport {
  const walk = walkChain(store);
  for (;;) {
    const step = walk.next();
    if (step.done) return step.value;
  }
}

/**
 * The same walk, yielding to the event loop between slices: the dashboard verifies a log of
 * 100,000 events while tool calls keep flowing through the same process.
 */
export async function verifyChainInSlices(store: AuditStore): Promise<VerifyReport> {
  const walk = walkChain(store);
  for (;;) {
    const step = walk.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Reads the log a slice at a time (never holding a statement open across a yield), yielding after each. */
function* walkChain(store: AuditStore): Generator<void, VerifyReport> {
  const checkpoint = store.lastCheckpoint();
  let expectedSeq = checkpoint?.nextSeq ?? 1;
  let expectedPrev = checkpoint?.prevHash ?? GENESIS_HASH;
  const from = checkpoint ? 'checkpoint' : 'genesis';
  let checked = 0;
  let firstSeq: number | undefined;
  let lastSeq: number | undefined;
  const fail = (kind: BreakKind, seq: number, message: string): VerifyReport => ({ ok: false, checked, firstSeq, lastSeq, from, break: { kind, seq, message } });

  let after = 0;
  for (;;) {
    const rows = store.rowsAfter(after, SLICE);
    if (rows.length === 0) break;
    for (const row of rows) {
      firstSeq ??= row.seq;
      if (row.seq > expectedSeq) {
        const missing = row.seq - expectedSeq === 1 ? `event ${expectedSeq} is` : `events ${expectedSeq} to ${row.seq - 1} are`;
        return fail('deleted', expectedSeq, `${missing} missing: deleted from the log outside retention`);
      }
      if (sha256Hex(row.body) !== row.hash) return fail('edited', row.seq, `event ${row.seq} was changed after it was written: its content does not match its hash`);
      const problem = checkBody(row, store.device);
      if ('kind' in problem) return fail(problem.kind, row.seq, problem.message);
      if (problem.prevHash !== expectedPrev) {
        return fail(
          'reordered',
          row.seq,
          `event ${row.seq} does not follow event ${row.seq - 1}: an event before it was edited, replaced or moved (its hash was rewritten to hide it)`,
        );
      }
      expectedPrev = row.hash;
      expectedSeq = row.seq + 1;
      lastSeq = row.seq;
      checked++;
    }
    after = rows[rows.length - 1]!.seq;
    yield;
  }
  // A chain cut short still verifies row by row; the collector's acknowledgement says how far it reached.
  const acked = store.outbox().ackedSeq;
  if (acked >= expectedSeq) {
    const missing = acked === expectedSeq ? `event ${expectedSeq} is` : `events ${expectedSeq} to ${acked} are`;
    return fail('deleted', expectedSeq, `${missing} missing from the end of the log, though the collector acknowledged them: deleted outside retention`);
  }
  return { ok: true, checked, firstSeq, lastSeq, from };
}

/** The body's prevHash when the row is self-consistent, else what is wrong with it. */
function checkBody(row: EventRow, device: string): { prevHash: string } | { kind: BreakKind; message: string } {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(row.body) as Record<string, unknown>;
  } catch {
    return { kind: 'malformed', message: `event ${row.seq} is not valid JSON` };
  }
  // Checked by hand, not with the zod schema: verify walks every event, and this is its hot loop.
  if (typeof body !== 'object' || body === null || typeof body['prevHash'] !== 'string' || typeof body['seq'] !== 'number') {
    return { kind: 'malformed', message: `event ${row.seq} is not a Gatehouse audit event` };
  }
  if (body['seq'] !== row.seq) return { kind: 'reordered', message: `event ${String(body['seq'])} was moved to position ${row.seq}` };
  if (body['device'] !== device) return { kind: 'edited', message: `event ${row.seq} belongs to another device's log (${String(body['device'])})` };
  for (const column of COLUMNS) {
    if ((body[column] ?? null) !== row[column]) return { kind: 'edited', message: `event ${row.seq} was changed after it was written: its ${column} column no longer matches its content` };
  }
  return { prevHash: body['prevHash'] };
}
