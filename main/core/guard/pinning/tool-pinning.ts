// The tool-pinning guard step. Every tool a server lists is hashed (tool-hash.ts) and compared with
// its pin: the first sight pins it (or the policy's expected hashes do), and a later change, after a
// restart or a list_changed, quarantines it: hidden from lists and refused on call until a person
// re-approves the new definition, which is then pinned. Poisoning flags (poisoning/) feed the same
// decision: per policy, a flagged tool nobody has approved is hidden the same way.
//
// review() runs on every tools/list answer: it pins, quarantines and filters what a client sees.
// checkTool() is the test on tools/call (pinningStep wraps it for the CallGuard), against the
// definition the calling session's upstream listed; check() is the same against what the last
// review saw, for callers that hold no definition. Pins live in a PinStore shared with the CLI, so
// an approval made there takes effect here on the next call.
import { GatehouseError } from '../../../../common/errors.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import { inspectTool, type PoisoningFlag } from '../poisoning/inspect-tool.js';
import { changedMessage, describeFlagsForAgent, flaggedMessage, invalidMessage, notCheckedMessage, notExpectedMessage, notListedMessage, shownName } from './messages.js';
import { DEFAULT_PINNING_POLICY, DEFAULT_POISONING_POLICY, type PinningPolicy, type PoisoningPolicy } from './pinning-policy.js';
import type { PinKey, PinStore } from './pin-store.js';
import type { PendingReason, PinEntry, StoredPending, StoredPin } from './pins-file.js';
import { diffTools, type FieldChange } from './tool-diff.js';
import type { ApprovedTool, FlagNotice, PinRefusal, PinReview, QuarantineNotice, QuarantinedTool, ReviewedTool, WaitingTool } from './types.js';
import { canonicalJson, isToolDefinition, sha256Hex, toolSnapshot, type ToolDefinition, type ToolSnapshot } from './tool-hash.js';

import type { AuditRecorder } from '../../audit/audit-recorder.js';

export type { ApprovedTool, FlagNotice, PinRefusal, PinReview, QuarantineNotice, QuarantineReason, QuarantinedTool, ReviewedTool, WaitingTool } from './types.js';

export interface ToolPinningOptions {
  readonly store: PinStore;
  readonly pinning?: PinningPolicy;
  readonly poisoning?: PoisoningPolicy;
  /** Server ids and URLs from policy, so approve() works before any review (the CLI). */
  readonly servers?: ReadonlyArray<{ readonly id: string; readonly url: string }>;
  readonly inspect?: (tool: ToolDefinition) => readonly PoisoningFlag[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Once per tool and offered definition: it was hidden (changed, not expected, flagged, invalid). */
  readonly onQuarantine?: (notice: QuarantineNotice) => void;
  /** Once per tool and definition: it is usable but flagged, and no person approved it. */
  readonly onFlagged?: (notice: FlagNotice) => void;
  /** A pinned copy larger than this (canonical JSON characters) is not kept; only its hash is. */
  readonly maxSnapshotChars?: number;
  /** Records pins, quarantines and changed tool lists in the audit trail. */
  readonly audit?: AuditRecorder;
}

interface Observed {
  readonly name: string;
  readonly tool: ToolDefinition;
  readonly hash: string;
  readonly snapshot: ToolSnapshot;
  readonly stored: ToolSnapshot | null;
  readonly flags: readonly PoisoningFlag[];
  /** Why the definition cannot be pinned at all. */
  readonly invalid?: string;
}

interface Decision {
  readonly visible: boolean;
  readonly reason?: PendingReason;
  /** The entry's new value, when it must change. */
  readonly write?: { pin?: StoredPin | undefined; pending?: StoredPending | undefined };
  readonly pinned?: boolean;
}

const FLAG_CACHE_LIMIT = 2_000;

export class ToolPinning {
  readonly #store: PinStore;
  readonly #pinning: PinningPolicy;
  readonly #poisoning: PoisoningPolicy;
  readonly #expected: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
  readonly #inspect: (tool: ToolDefinition) => readonly PoisoningFlag[];
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #options: ToolPinningOptions;
  readonly #maxSnapshotChars: number;
  readonly #urls = new Map<string, string>();
  readonly #reviewed = new Map<string, { url: string; tools: Map<string, Observed> }>();
  readonly #notified = new Set<string>();
  readonly #flagCache = new Map<string, readonly PoisoningFlag[]>();
  readonly #byObject = new WeakMap<object, Observed>();
  /**
   * The pins entry under which a definition was last found callable with nothing to save. The
   * decision is a function of the definition, that entry and the policy (fixed for this instance),
   * so while the store still returns the very same entry object the call needs no decision (nor the
   * clock): the store replaces entries whenever the file changes.
   */
  readonly #callable = new WeakMap<Observed, PinEntry>();

  constructor(options: ToolPinningOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#pinning = options.pinning ?? DEFAULT_PINNING_POLICY;
    this.#poisoning = options.poisoning ?? DEFAULT_POISONING_POLICY;
    this.#expected = new Map(
      Object.entries(this.#pinning.expected).map(([server, tools]) => [
        server,
        new Map(Object.entries(tools).map(([tool, hashes]) => [tool, new Set(typeof hashes === 'string' ? [hashes] : hashes)])),
      ]),
    );
    this.#inspect = options.inspect ?? inspectTool;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#maxSnapshotChars = options.maxSnapshotChars ?? 64 * 1024;
    for (const server of options.servers ?? []) this.#urls.set(server.id, server.url);
  }

  /** Whether policy, not first sight, decides which definitions of this server's tools are trusted. */
  isPolicyPinned(serverId: string): boolean {
    return this.#pinning.mode === 'policy' || this.#expected.has(serverId);
  }

  /** Whether check() knows this server's current tools (false before the first review and after invalidate). */
  reviewed(serverId: string): boolean {
    return this.#reviewed.has(serverId);
  }

  /** Forget what the server listed (call on its list_changed or reconnect): calls wait for the next review. */
  invalidate(serverId: string): void {
    this.#reviewed.delete(serverId);
  }

  /**
   * Pins what is new, quarantines what changed, and says which tools to show. Runs on each
   * tools/list answer of `serverId`; throws only when pins cannot be saved (then nothing of the
   * server should be shown). Pass `continues: true` for a page after the first (the request had a
   * cursor): its tools are added to what check() knows instead of replacing it.
   */
  async review(serverId: string, serverUrl: string, tools: readonly unknown[], options: { continues?: boolean } = {}): Promise<PinReview> {
    const observed = this.#observe(tools);
    this.#urls.set(serverId, serverUrl);
    this.#store.refresh();
    const decisions = await this.#persist(serverId, serverUrl, [...observed.values()]);
    const earlier = this.#reviewed.get(serverId);
    const known = options.continues === true && earlier?.url === serverUrl ? new Map([...earlier.tools, ...observed]) : observed;
    this.#reviewed.set(serverId, { url: serverUrl, tools: known });
    if (earlier !== undefined && options.continues !== true) this.#auditChanges(serverId, earlier.tools, observed);

    const review: PinReview = { visible: [], quarantined: [], newlyPinned: [], flagged: [] };
    for (const { o, entry, d } of decisions) {
      if (d.pinned) {
        review.newlyPinned.push(o.name);
        void this.#options.audit?.record({ type: 'tool.pinned', server: serverId, tool: o.name, decision: 'allowed', details: { hash: o.hash, by: this.isPolicyPinned(serverId) ? 'policy' : 'first-seen' } });
      }
      if (d.visible) {
        review.visible.push(o.tool);
        if (this.#flaggedUnreviewed(serverId, o, entry)) {
          review.flagged.push({ name: o.name, flags: o.flags });
          this.#notifyFlagged(serverId, serverUrl, o);
        }
        continue;
      }
      const quarantined = this.#quarantined(serverId, o, entry, d.reason);
      review.quarantined.push(quarantined);
      this.#notifyQuarantine(serverId, serverUrl, o, entry, quarantined);
    }
    return review;
  }

  /**
   * undefined when the tool, as the last review saw it, may be called; otherwise why not, for the
   * agent. Synchronous. Prefer checkTool when the call carries the session's definition.
   */
  check(serverId: string, toolName: string): PinRefusal | undefined {
    const state = this.#reviewed.get(serverId);
    if (state === undefined) return { code: 'GATEHOUSE_TOOL_UNKNOWN', message: notCheckedMessage(serverId) };
    const o = state.tools.get(toolName);
    if (o === undefined) return { code: 'GATEHOUSE_TOOL_UNKNOWN', message: notListedMessage(serverId, toolName) };
    const entry = this.#store.get(this.#key(serverId, state.url, toolName));
    const d = this.#decide(serverId, o, entry, new Date(this.#clock.now()).toISOString());
    return d.visible ? undefined : refusalOf(this.#quarantined(serverId, o, entry, d.reason));
  }

  /**
   * The guard step's test on tools/call: is `tool`, the definition this session's upstream last
   * listed for `toolName`, the approved one? undefined when it may be called. Synchronous, except
   * the rare first sight of a tool nobody listed through a view yet: then its pin is saved first.
   */
  checkTool(serverId: string, toolName: string, tool: ToolDefinition | undefined): PinRefusal | undefined | Promise<PinRefusal | undefined> {
    // A tool the server does not list was never pinned nor shown: calling it would bypass both.
    if (tool === undefined) return { code: 'GATEHOUSE_TOOL_UNKNOWN', message: notListedMessage(serverId, toolName) };
    const url = this.#reviewed.get(serverId)?.url ?? this.#urls.get(serverId);
    if (url === undefined) {
      return { code: 'GATEHOUSE_TOOL_QUARANTINED', message: `Gatehouse does not know the address of server '${serverId}', so it cannot check its tool pins; this is a Gatehouse configuration error.` };
    }
    const listed = this.#reviewed.get(serverId)?.tools.get(toolName);
    const o = listed?.invalid !== undefined ? listed : this.#observeOne(tool);
    const entry = this.#store.get(this.#key(serverId, url, toolName));
    // The entry is keyed by server, URL and tool name, so the same object means the same question.
    if (entry !== undefined && this.#callable.get(o) === entry) return undefined;
    const d = this.#decide(serverId, o, entry, new Date(this.#clock.now()).toISOString());
    if (!d.visible) {
      const quarantined = this.#quarantined(serverId, o, entry, d.reason);
      this.#notifyQuarantine(serverId, url, o, entry, quarantined);
      // Record what waits for approval, so the app and the CLI can show and approve it; the
      // refusal does not wait for the disk.
      if (d.write !== undefined && o.invalid === undefined) {
        this.#persist(serverId, url, [o]).catch((error: unknown) => this.#logger.log('error', 'could not record a quarantined tool', { server: serverId, tool: toolName, error: String(error) }));
      }
      return refusalOf(quarantined);
    }
    if (d.write === undefined) {
      if (entry !== undefined) this.#callable.set(o, entry);
      return undefined;
    }
    return this.#persist(serverId, url, [o]).then(([result]) =>
      result === undefined || result.d.visible ? undefined : refusalOf(this.#quarantined(serverId, o, result.entry, result.d.reason)),
    );
  }

  /**
   * The hash of the definition a call to this tool would use, when that definition is approved;
   * undefined otherwise. Remembered approval decisions bind to it, so a changed tool is asked about
   * again.
   */
  approvedHash(serverId: string, toolName: string): string | undefined {
    const state = this.#reviewed.get(serverId);
    const o = state?.tools.get(toolName);
    if (state === undefined || o === undefined) return undefined;
    const d = this.#decide(serverId, o, this.#store.get(this.#key(serverId, state.url, toolName)), new Date(this.#clock.now()).toISOString());
    return d.visible ? o.hash : undefined;
  }

  /**
   * Pins the definition waiting for approval (what this process last saw, else what the pins file
   * recorded as pending). Pass `hash` (from the notice the person reviewed) so a definition that
   * changed again meanwhile is not approved unseen.
   */
  async approve(serverId: string, toolName: string, by: 'user' | 'admin', options: { hash?: string } = {}): Promise<ApprovedTool> {
    const url = this.#reviewed.get(serverId)?.url ?? this.#urls.get(serverId);
    if (url === undefined) {
      throw new GatehouseError('GATEHOUSE_SERVER_UNKNOWN', `No server '${serverId}' is configured: use the id of one of the servers in the Gatehouse policy.`);
    }
    const observed = this.#reviewed.get(serverId)?.tools.get(toolName);
    if (observed?.invalid !== undefined) throw new GatehouseError('GATEHOUSE_TOOL_QUARANTINED', invalidMessage(serverId, toolName, observed.invalid));
    const key = this.#key(serverId, url, toolName);
    return this.#store.update((table) => {
      const entry = table.get(key);
      const candidates = [
        observed !== undefined ? { hash: observed.hash, definition: observed.stored } : undefined,
        entry?.pending !== undefined ? { hash: entry.pending.hash, definition: entry.pending.definition } : undefined,
      ].filter((c) => c !== undefined);
      const chosen = options.hash === undefined ? candidates[0] : candidates.find((c) => c.hash === options.hash);
      if (chosen === undefined) {
        throw options.hash !== undefined && candidates.length > 0
          ? new GatehouseError(
              'GATEHOUSE_TOOL_QUARANTINED',
              `The tool '${shownName(toolName)}' of server '${serverId}' changed again since it was reviewed (it no longer has hash ${options.hash}); review the new definition and approve that one.`,
            )
          : new GatehouseError('GATEHOUSE_TOOL_UNKNOWN', `No tool '${shownName(toolName)}' of server '${serverId}' is waiting for approval.`);
      }
      if (by === 'user' && this.isPolicyPinned(serverId)) {
        throw new GatehouseError(
          'GATEHOUSE_TOOL_QUARANTINED',
          `Your administrator pins the tools of '${serverId}' by policy, so only they can approve '${shownName(toolName)}': ask them to add the hash ${chosen.hash} for it to pinning.expected in the Gatehouse policy.`,
        );
      }
      const pin: StoredPin = { hash: chosen.hash, definition: chosen.definition, pinnedAt: new Date(this.#clock.now()).toISOString(), approvedBy: by };
      table.set(key, { pin, pending: entry?.pending !== undefined && entry.pending.hash !== chosen.hash ? entry.pending : undefined });
      this.#logger.log('info', 'tool approved and pinned', { server: serverId, tool: toolName, hash: chosen.hash, by });
      void this.#options.audit?.record({ type: 'tool.pinned', server: serverId, tool: toolName, decision: 'allowed', details: { hash: chosen.hash, by } });
      return { serverId, toolName, hash: chosen.hash, approvedBy: by };
    });
  }

  /** Every tool waiting for approval according to the pins file (for the app and `gatehouse tools`). */
  waiting(): WaitingTool[] {
    return this.#store
      .entries()
      .filter((entry) => entry.pending !== undefined)
      .map((entry) => {
        const pending = entry.pending!;
        const pin = entry.pin;
        const flags = pending.definition !== null && typeof pending.definition['name'] === 'string' ? this.#inspect(pending.definition as ToolDefinition) : [];
        const changes = pin !== undefined && pin.hash !== pending.hash ? safeDiff(pin.definition, pending.definition) : [];
        return {
          serverId: entry.server,
          serverUrl: entry.url,
          toolName: entry.tool,
          reason: pending.reason,
          hash: pending.hash,
          ...(pin !== undefined ? { pinnedHash: pin.hash, pinnedDefinition: pin.definition } : {}),
          changes,
          flags,
          definition: pending.definition,
        };
      });
  }

  /**
   * The server's tools as its last review saw them, each usable, on hold (with the message the
   * agent gets) or usable but flagged; empty before the first review. Reads only: pins nothing.
   */
  reviewedTools(serverId: string): ReviewedTool[] {
    const state = this.#reviewed.get(serverId);
    if (state === undefined) return [];
    const now = new Date(this.#clock.now()).toISOString();
    return [...state.tools.values()].map((o) => {
      const entry = this.#store.get(this.#key(serverId, state.url, o.name));
      const d = this.#decide(serverId, o, entry, now);
      const title = typeof o.tool['title'] === 'string' ? o.tool['title'] : undefined;
      const tool = { name: o.name, ...(title !== undefined ? { title } : {}) };
      if (!d.visible) return { ...tool, state: 'quarantined', reason: this.#quarantined(serverId, o, entry, d.reason).message };
      if (this.#flaggedUnreviewed(serverId, o, entry)) {
        return { ...tool, state: 'flagged', reason: `Its definition looks like an attempt to steer the AI (${describeFlagsForAgent(o.flags)}); policy lets it be used until someone reviews it.` };
      }
      return { ...tool, state: 'ok' };
    });
  }

  /** A usable tool with poisoning flags that no person approved (policy pins none of this server). */
  #flaggedUnreviewed(serverId: string, o: Observed, entry: PinEntry | undefined): boolean {
    const approvedByPerson = entry?.pin?.hash === o.hash && (entry.pin.approvedBy === 'user' || entry.pin.approvedBy === 'admin');
    return o.flags.length > 0 && !approvedByPerson && !this.isPolicyPinned(serverId);
  }

  // Decides against the cached pins; when something must be saved, decides again under the file
  // lock against the pins as they are on disk then (another process may have pinned meanwhile).
  async #persist(serverId: string, serverUrl: string, observed: readonly Observed[]): Promise<Array<{ o: Observed; entry: PinEntry | undefined; d: Decision }>> {
    const now = new Date(this.#clock.now()).toISOString();
    const decideAll = (lookup: (key: PinKey) => PinEntry | undefined) =>
      observed.map((o) => {
        const entry = lookup(this.#key(serverId, serverUrl, o.name));
        return { o, entry, d: this.#decide(serverId, o, entry, now) };
      });
    const decisions = decideAll((key) => this.#store.get(key));
    if (decisions.every((x) => x.d.write === undefined)) return decisions;
    try {
      return await this.#store.update((table) => {
        const fresh = decideAll((key) => table.get(key));
        for (const { o, d } of fresh) if (d.write !== undefined) table.set(this.#key(serverId, serverUrl, o.name), d.write);
        return fresh;
      });
    } catch (error) {
      throw new GatehouseError(
        'GATEHOUSE_INTERNAL',
        `Cannot save tool pins to ${this.#store.file} (${error instanceof Error ? error.message : String(error)}); the tools of '${serverId}' stay hidden until Gatehouse can write its data directory.`,
        { cause: error },
      );
    }
  }

  #key(serverId: string, serverUrl: string, toolName: string): PinKey {
    return { serverId, serverUrl, toolName };
  }

  #observe(tools: readonly unknown[]): Map<string, Observed> {
    const observed = new Map<string, Observed>();
    for (const item of tools) {
      if (!isToolDefinition(item)) continue;
      let o = this.#observeOne(item);
      const earlier = observed.get(item.name);
      if (earlier !== undefined && (earlier.hash !== o.hash || earlier.invalid !== undefined)) {
        // The call would reach one of them, and nobody can tell which: refuse both.
        o = { ...o, invalid: 'more than once, with different definitions' };
      } else if (earlier !== undefined) {
        continue;
      }
      observed.set(item.name, o);
    }
    return observed;
  }

  // The session keeps the listed objects, so a call finds its tool's hash here without re-hashing.
  #observeOne(tool: ToolDefinition): Observed {
    const cached = this.#byObject.get(tool);
    if (cached !== undefined) return cached;
    let o: Observed;
    try {
      const snapshot = toolSnapshot(tool);
      const json = canonicalJson(snapshot);
      const hash = sha256Hex(json);
      const stored = json.length <= this.#maxSnapshotChars ? snapshot : null;
      o = { name: tool.name, tool, hash, snapshot, stored, flags: this.#flagsOf(hash, tool) };
    } catch (error) {
      o = { name: tool.name, tool, hash: '', snapshot: {}, stored: null, flags: [], invalid: `with a definition that cannot be pinned (${error instanceof Error ? error.message : String(error)})` };
    }
    this.#byObject.set(tool, o);
    return o;
  }

  #flagsOf(hash: string, tool: ToolDefinition): readonly PoisoningFlag[] {
    const cached = this.#flagCache.get(hash);
    if (cached !== undefined) return cached;
    const flags = this.#inspect(tool);
    if (this.#flagCache.size >= FLAG_CACHE_LIMIT) this.#flagCache.clear();
    this.#flagCache.set(hash, flags);
    return flags;
  }

  // The one rule table, used by review (with writes) and check (without).
  #decide(serverId: string, o: Observed, entry: PinEntry | undefined, now: string): Decision {
    if (o.invalid !== undefined) return { visible: false };
    const pin = entry?.pin;
    const pending = entry?.pending;
    const newPin = (approvedBy: StoredPin['approvedBy']): StoredPin => ({ hash: o.hash, definition: o.stored, pinnedAt: now, approvedBy });
    const quarantine = (reason: PendingReason): Decision =>
      pending?.hash === o.hash && pending.reason === reason
        ? { visible: false, reason }
        : { visible: false, reason, write: { pin, pending: { hash: o.hash, definition: o.stored, seenAt: now, reason } } };
    // Back to the approved definition: a stale pending change is no longer waiting.
    const ok = (): Decision => (pending !== undefined && pin?.hash === o.hash ? { visible: true, write: { pin, pending: undefined } } : { visible: true });

    if (this.isPolicyPinned(serverId)) {
      if (this.#expected.get(serverId)?.get(o.name)?.has(o.hash) === true) {
        if (pin?.hash === o.hash && (pin.approvedBy === 'policy' || pin.approvedBy === 'admin')) return ok();
        return { visible: true, pinned: true, write: { pin: newPin('policy'), pending: undefined } };
      }
      if (pin?.hash === o.hash && pin.approvedBy === 'admin') return ok();
      return quarantine('not-expected');
    }
    const hideFlagged = this.#poisoning.action === 'hide-until-approved' && o.flags.length > 0;
    if (pin === undefined) {
      if (hideFlagged) return quarantine('flagged');
      return { visible: true, pinned: true, write: { pin: newPin('first-seen'), pending: undefined } };
    }
    if (pin.hash !== o.hash) return quarantine('changed');
    if (hideFlagged && pin.approvedBy === 'first-seen') return quarantine('flagged');
    return ok();
  }

  #quarantined(serverId: string, o: Observed, entry: PinEntry | undefined, reason: PendingReason | undefined): QuarantinedTool {
    if (o.invalid !== undefined || reason === undefined) {
      return { name: o.name, reason: 'invalid', hash: o.hash, changes: [], flags: o.flags, message: invalidMessage(serverId, o.name, o.invalid ?? 'in a way Gatehouse cannot pin') };
    }
    const pin = entry?.pin;
    const changes = pin !== undefined && pin.hash !== o.hash ? safeDiff(pin.definition, o.snapshot) : [];
    const message =
      reason === 'changed'
        ? changedMessage(serverId, o.name, changes)
        : reason === 'not-expected'
          ? notExpectedMessage(serverId, o.name, o.hash, changes)
          : flaggedMessage(serverId, o.name, o.flags);
    return { name: o.name, reason, hash: o.hash, ...(pin !== undefined ? { pinnedHash: pin.hash } : {}), changes, flags: o.flags, message };
  }

  #notifyQuarantine(serverId: string, serverUrl: string, o: Observed, entry: PinEntry | undefined, q: QuarantinedTool): void {
    const key = JSON.stringify(['quarantine', serverId, serverUrl, o.name, o.hash, q.reason]);
    if (this.#notified.has(key)) return;
    this.#notified.add(key);
    this.#logger.log('warn', 'tool quarantined', { server: serverId, tool: o.name, reason: q.reason, hash: o.hash, pinnedHash: q.pinnedHash });
    void this.#options.audit?.record({
      type: 'tool.quarantined',
      server: serverId,
      tool: o.name,
      decision: 'denied',
      reason: q.message,
      details: { why: q.reason, hash: o.hash, ...(q.pinnedHash !== undefined ? { pinnedHash: q.pinnedHash } : {}), changed: q.changes.map((c) => c.field) },
    });
    const notice: QuarantineNotice = {
      ...q,
      serverId,
      serverUrl,
      definition: o.invalid !== undefined ? null : o.snapshot,
      ...(entry?.pin !== undefined ? { pinnedDefinition: entry.pin.definition } : {}),
    };
    this.#tell(() => this.#options.onQuarantine?.(notice));
  }

  #notifyFlagged(serverId: string, serverUrl: string, o: Observed): void {
    const key = JSON.stringify(['flagged', serverId, serverUrl, o.name, o.hash]);
    if (this.#notified.has(key)) return;
    this.#notified.add(key);
    const kinds = [...new Set(o.flags.map((f) => f.kind))];
    this.#logger.log('warn', 'tool flagged as possibly poisoned', { server: serverId, tool: o.name, hash: o.hash, kinds });
    void this.#options.audit?.record({ type: 'tool.quarantined', server: serverId, tool: o.name, decision: 'allowed', reason: 'flagged as possibly poisoned; usable by policy', details: { why: 'flagged', hash: o.hash, kinds } });
    this.#tell(() => this.#options.onFlagged?.({ serverId, serverUrl, name: o.name, hash: o.hash, flags: o.flags, definition: o.snapshot }));
  }

  /** A server's tool list differs from what it listed before: added, removed or redefined tools. */
  #auditChanges(serverId: string, before: ReadonlyMap<string, Observed>, after: ReadonlyMap<string, Observed>): void {
    if (this.#options.audit === undefined) return;
    const added = [...after.keys()].filter((name) => !before.has(name));
    const removed = [...before.keys()].filter((name) => !after.has(name));
    const changed = [...after.values()].filter((o) => before.has(o.name) && before.get(o.name)!.hash !== o.hash).map((o) => o.name);
    if (added.length + removed.length + changed.length === 0) return;
    void this.#options.audit.record({ type: 'tools.changed', server: serverId, decision: 'recorded', details: { added, removed, changed } });
  }

  // A notification sink that throws must not break listing.
  #tell(notify: () => void): void {
    try {
      notify();
    } catch (error) {
      this.#logger.log('warn', 'a tool notification handler failed', { error: String(error) });
    }
  }
}

function refusalOf(quarantined: QuarantinedTool): PinRefusal {
  return { code: quarantined.reason === 'flagged' ? 'GATEHOUSE_TOOL_FLAGGED' : 'GATEHOUSE_TOOL_QUARANTINED', message: quarantined.message };
}

function safeDiff(before: ToolSnapshot | null, after: ToolSnapshot | null): FieldChange[] {
  if (after === null) return [{ field: 'definition', change: 'changed', summary: 'the definition changed; the new one is too large to show here' }];
  try {
    return diffTools(before, after);
  } catch {
    return [{ field: 'definition', change: 'changed', summary: 'the definition changed in a way that cannot be compared field by field; review it in full' }];
  }
}
