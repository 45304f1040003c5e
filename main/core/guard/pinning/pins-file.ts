// The on-disk shape of pins.json: for each server (id and URL) and tool, the approved definition
// (hash and a copy to show what changed) and, while the server offers something else, the pending
// definition waiting for approval. Pins are not secrets, but any process of the user can write the
// file, so it is validated on every read.
import { z } from 'zod';

export const PINS_FILE_NAME = 'pins.json';

export const APPROVERS = ['first-seen', 'policy', 'user', 'admin'] as const;
export type ApprovedBy = (typeof APPROVERS)[number];

export const PENDING_REASONS = ['changed', 'not-expected', 'flagged'] as const;
export type PendingReason = (typeof PENDING_REASONS)[number];

const SHA256_HEX = /^[0-9a-f]{64}$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Kept as parsed (a custom check, not z.record) so no key of a server's definition is rebuilt or lost.
const definitionSchema = z.custom<Readonly<Record<string, unknown>>>(isPlainObject, { message: 'must be a tool definition object' }).nullable();

const pinSchema = z.object({
  hash: z.string().regex(SHA256_HEX, 'must be 64 lowercase hex characters'),
  /** The pinned definition without `_meta`; null when it was too large to keep. */
  definition: definitionSchema,
  pinnedAt: z.iso.datetime(),
  approvedBy: z.enum(APPROVERS),
});

const pendingSchema = z.object({
  hash: z.string().regex(SHA256_HEX, 'must be 64 lowercase hex characters'),
  definition: definitionSchema,
  seenAt: z.iso.datetime(),
  reason: z.enum(PENDING_REASONS),
});

const entrySchema = z
  .object({
    server: z.string().min(1).max(200),
    url: z.string().min(1).max(4096),
    tool: z.string().min(1).max(1024),
    pin: pinSchema.optional(),
    pending: pendingSchema.optional(),
  })
  .refine((entry) => entry.pin !== undefined || entry.pending !== undefined, { message: 'needs a pin or a pending definition' });

const pinsFileSchema = z.object({ version: z.literal(1), tools: z.array(entrySchema) }).superRefine((data, ctx) => {
  const seen = new Map<string, number>();
  data.tools.forEach((entry, index) => {
    const key = entryKey(entry.server, entry.url, entry.tool);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else ctx.addIssue({ code: 'custom', path: ['tools', index], message: `duplicate of tools[${first}] (same server, URL and tool)`, input: entry });
  });
});

export type StoredPin = z.infer<typeof pinSchema>;
export type StoredPending = z.infer<typeof pendingSchema>;
export type PinEntry = z.infer<typeof entrySchema>;
export type PinsFile = z.infer<typeof pinsFileSchema>;

/** One string per (server, URL, tool); JSON so no separator can be forged by a tool name. */
export function entryKey(server: string, url: string, tool: string): string {
  return JSON.stringify([server, url, tool]);
}

export type PinsFileRead =
  | { readonly ok: true; readonly data: PinsFile }
  /** `salvaged`: the entries that are valid on their own, when the file is JSON with a tools list. */
  | { readonly ok: false; readonly problem: string; readonly salvaged: readonly PinEntry[]; readonly dropped: number };

export function readPinsFile(text: string): PinsFileRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`, salvaged: [], dropped: 0 };
  }
  const parsed = pinsFileSchema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const problem = `it is invalid:\n${z.prettifyError(parsed.error)}`;
  const list = isPlainObject(json) && Array.isArray(json['tools']) ? (json['tools'] as unknown[]) : [];
  const salvaged: PinEntry[] = [];
  const keys = new Set<string>();
  for (const item of list) {
    const entry = entrySchema.safeParse(item);
    if (!entry.success) continue;
    const key = entryKey(entry.data.server, entry.data.url, entry.data.tool);
    if (keys.has(key)) continue;
    keys.add(key);
    salvaged.push(entry.data);
  }
  return { ok: false, problem, salvaged, dropped: list.length - salvaged.length };
}

export function serializePinsFile(entries: Iterable<PinEntry>): string {
  const tools = [...entries].sort((a, b) => compare(a.server, b.server) || compare(a.url, b.url) || compare(a.tool, b.tool));
  return JSON.stringify({ version: 1, tools } satisfies PinsFile, null, 2) + '\n';
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
