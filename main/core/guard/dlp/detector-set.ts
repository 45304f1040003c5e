// A compiled set of detectors and the scan of one string with it. One pass of the trigger
// automaton finds where each detector's pattern is worth running. A trigger that fixes where the
// match starts (a literal prefix such as ghp_) has the pattern tried at that one position; other
// triggers open a window around themselves, nearby windows of the same detector merge, and each
// window is matched once. Clean text thus costs little more than the automaton pass.
import type { Detector, Trigger } from './detector.js';
import { newTriggerHits, parseTrigger, TriggerAutomaton, type TriggerHits } from './trigger-automaton.js';

/** Characters kept around a window so lookbehinds and lookaheads see the real neighbours. */
const CONTEXT = 8;
/** No detector matches fewer characters (a@b.co). */
export const MIN_CANDIDATE_LENGTH = 6;
const MAX_PROPERTY_LENGTH = 128;
const NOT_ANCHORED = -1;
/**
 * Past this many anchored candidates of one detector in one string (a flood of near-misses), the
 * rest are matched as a window instead, where each failed match is skipped over as a whole.
 */
const MAX_POINTS_PER_DETECTOR = 64;

export interface RawMatch {
  detector: number;
  /** The sensitive value (the value group when the pattern also matches a label). */
  start: number;
  end: number;
  /** The whole match, for supersedes. */
  matchStart: number;
  matchEnd: number;
}

interface Entry {
  detector: number;
  /** How far before the trigger's end a match may start. */
  before: number;
  after: number;
  /** Offset of the match from the trigger's end when anchored (always ≤ 0), else NOT_ANCHORED. */
  anchor: number;
}

const compiled = new WeakMap<readonly Detector[], DetectorSet>();

/** The compiled set for a detector list, compiled once per list (the built-ins once per process). */
export function detectorSetFor(detectors: readonly Detector[]): DetectorSet {
  let set = compiled.get(detectors);
  if (set === undefined) compiled.set(detectors, (set = new DetectorSet(detectors)));
  return set;
}

export class DetectorSet {
  readonly detectors: readonly Detector[];
  private readonly automaton: TriggerAutomaton;
  // Per trigger, the detectors it serves: entries [entryStart[t], entryStart[t + 1]).
  private readonly entryStart: Int32Array;
  private readonly entryDetector: Int32Array;
  private readonly entryBefore: Int32Array;
  private readonly entryAfter: Int32Array;
  private readonly entryAnchor: Int32Array;
  private readonly maxLength: Int32Array;
  private readonly sticky: RegExp[];
  private readonly byProperty: number[];
  private readonly wholeText: number[];
  private readonly superseding: boolean;
  /** 1 for detectors of secrets that are not catch-alls: what they find or reject, generic ones leave alone. */
  private readonly specific: Uint8Array;
  // Scratch space reused across strings (a scan is synchronous, so one set serves one scan at a time).
  private readonly hits: TriggerHits = newTriggerHits();
  private readonly openStart: Int32Array;
  private readonly openEnd: Int32Array;
  private readonly lastPoint: Int32Array;
  private readonly pointCount: Int32Array;
  private readonly touched: number[] = [];
  /** Windows to match, as (detector, start, end) triples. */
  private readonly regions: number[] = [];
  /** Anchored candidates, as (detector, position) pairs. */
  private readonly points: number[] = [];
  /** Values a specific secret detector recognised and rejected, as (start, end) pairs. */
  private readonly rejected: number[] = [];
  /** Where this string's matches start in the output. */
  private first = 0;

  constructor(detectors: readonly Detector[]) {
    this.detectors = detectors;
    const triggers: (Trigger & { detector: number })[] = [];
    detectors.forEach((d, index) => {
      if (!d.pattern.global) throw new Error(`DLP detector ${d.id}: its pattern must have the g flag`);
      for (const t of d.triggers) triggers.push({ ...t, detector: index });
      // Keywords find the candidates only for detectors that have no triggers of their own.
      if (d.triggers.length === 0) {
        for (const word of d.context?.words ?? []) triggers.push({ source: escapeTrigger(word), ignoreCase: true, before: 0, after: d.context!.window, detector: index });
      }
    });
    // Identical trigger sources share one automaton output.
    const unique = new Map<string, number>();
    const sources: Trigger[] = [];
    const served: Entry[][] = [];
    for (const t of triggers) {
      const key = `${t.ignoreCase === true ? 'i' : 's'}:${t.source}`;
      let id = unique.get(key);
      if (id === undefined) {
        id = sources.length;
        unique.set(key, id);
        sources.push({ source: t.source, ignoreCase: t.ignoreCase === true });
        served.push([]);
      }
      served[id]!.push(entryFor(t, detectors[t.detector]!.id));
    }
    this.automaton = new TriggerAutomaton(sources);
    this.entryStart = new Int32Array(sources.length + 1);
    served.forEach((list, id) => (this.entryStart[id + 1] = this.entryStart[id]! + list.length));
    const flat = served.flat();
    this.entryDetector = Int32Array.from(flat, (e) => e.detector);
    this.entryBefore = Int32Array.from(flat, (e) => e.before);
    this.entryAfter = Int32Array.from(flat, (e) => e.after);
    this.entryAnchor = Int32Array.from(flat, (e) => e.anchor);
    this.maxLength = Int32Array.from(detectors, (d) => d.maxLength);
    this.sticky = detectors.map((d) => new RegExp(d.pattern.source, `${d.pattern.flags.replace('g', '')}y`));
    this.byProperty = detectors.flatMap((d, i) => (d.context?.property !== undefined ? [i] : []));
    this.wholeText = detectors.flatMap((d, i) => (d.scanWholeText === true ? [i] : []));
    this.superseding = detectors.some((d) => d.generic === true || (d.supersedes?.length ?? 0) > 0);
    this.specific = Uint8Array.from(detectors, (d) => (d.generic !== true && d.category === 'secret' ? 1 : 0));
    this.openStart = new Int32Array(detectors.length).fill(-1);
    this.openEnd = new Int32Array(detectors.length).fill(-1);
    this.lastPoint = new Int32Array(detectors.length).fill(-1);
    this.pointCount = new Int32Array(detectors.length);
  }

  get automatonStates(): number {
    return this.automaton.stateCount;
  }

  /**
   * Appends the matches in `text` to `out`, at most `limit` in all. `property` is the name of the
   * property holding the string, which some detectors take as context; `enabled` (one byte per
   * detector, 0 = off) switches detectors off without compiling another automaton.
   */
  scanString(text: string, property: string | undefined, out: RawMatch[], limit: number, enabled?: Uint8Array): void {
    const n = text.length;
    if (n < MIN_CANDIDATE_LENGTH) return;
    const first = out.length;
    this.first = first;
    const { regions, points, touched } = this;
    regions.length = 0;
    points.length = 0;
    touched.length = 0;
    this.rejected.length = 0;

    const count = this.automaton.run(text, this.hits);
    const { states, ends } = this.hits;
    for (let h = 0; h < count; h++) {
      const end = ends[h]!;
      const outputs = this.automaton.outputsOf(states[h]!);
      for (let o = 0; o < outputs.length; o++) {
        const trigger = outputs[o]!;
        for (let k = this.entryStart[trigger]!; k < this.entryStart[trigger + 1]!; k++) {
          const d = this.entryDetector[k]!;
          if (enabled !== undefined && enabled[d] === 0) continue;
          const anchor = this.entryAnchor[k]!;
          if (anchor !== NOT_ANCHORED && this.pointCount[d]! < MAX_POINTS_PER_DETECTOR) {
            const at = end + anchor;
            if (this.lastPoint[d] === at) continue;
            this.pointCount[d]!++;
            if (this.lastPoint[d]! < 0) touched.push(d);
            this.lastPoint[d] = at;
            points.push(d, at);
            continue;
          }
          const s = end - this.entryBefore[k]!;
          const e = end + this.entryAfter[k]! + this.maxLength[d]!;
          this.open(d, s < 0 ? 0 : s, e > n ? n : e);
        }
      }
    }
    let byProperty: number[] | undefined;
    if (property !== undefined && property.length <= MAX_PROPERTY_LENGTH) {
      for (const d of this.byProperty) {
        if (enabled !== undefined && enabled[d] === 0) continue;
        if (this.detectors[d]!.context!.property!.test(property)) {
          (byProperty ??= []).push(d);
          this.open(d, 0, n);
        }
      }
    }
    for (const d of this.wholeText) if (enabled === undefined || enabled[d] !== 0) this.open(d, 0, n);
    for (const d of touched) {
      if (this.openEnd[d]! >= 0) regions.push(d, this.openStart[d]!, this.openEnd[d]!);
      this.openStart[d] = -1;
      this.openEnd[d] = -1;
      this.lastPoint[d] = -1;
      this.pointCount[d] = 0;
    }

    for (let p = 0; p < points.length && out.length < limit; p += 2) this.matchAt(text, points[p]!, points[p + 1]!, out);
    for (let r = 0; r < regions.length && out.length < limit; r += 3) {
      const d = regions[r]!;
      this.matchRegion(text, d, regions[r + 1]!, regions[r + 2]!, byProperty?.includes(d) === true, out, limit);
    }
    if (out.length - first > 1) dedupe(out, first);
    if (this.superseding && (out.length - first > 1 || this.rejected.length > 0)) dropSuperseded(this.detectors, this.specific, this.rejected, out, first);
  }

  /** Adds [s, e) to detector d's open window, or closes that window and opens a new one. */
  private open(d: number, s: number, e: number): void {
    const openEnd = this.openEnd[d]!;
    if (openEnd < 0) {
      if (this.lastPoint[d]! < 0) this.touched.push(d);
      this.openStart[d] = s;
      this.openEnd[d] = e;
    } else if (s <= openEnd) {
      if (e > openEnd) this.openEnd[d] = e;
      if (s < this.openStart[d]!) this.openStart[d] = s;
    } else {
      this.regions.push(d, this.openStart[d]!, openEnd);
      this.openStart[d] = s;
      this.openEnd[d] = e;
    }
  }

  /** Tries detector d's pattern at exactly `at`. */
  private matchAt(text: string, d: number, at: number, out: RawMatch[]): void {
    if (at < 0 || at >= text.length) return;
    const re = this.sticky[d]!;
    re.lastIndex = at;
    const m = re.exec(text);
    if (m !== null && m[0].length > 0) this.accept(text, d, m, 0, false, out);
  }

  private matchRegion(text: string, d: number, s: number, e: number, contextByProperty: boolean, out: RawMatch[], limit: number): void {
    const n = text.length;
    const s0 = s > CONTEXT ? s - CONTEXT : 0;
    const e0 = e + CONTEXT < n ? e + CONTEXT : n;
    const slice = s0 === 0 && e0 === n ? text : text.slice(s0, e0);
    const re = this.detectors[d]!.pattern;
    re.lastIndex = s - s0;
    for (let m = re.exec(slice); m !== null && out.length < limit; m = re.exec(slice)) {
      if (s0 + m.index > e) break;
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      // A match cut short by the window's end would be an artefact of the window.
      if (s0 + m.index + m[0].length > e && e0 < n) continue;
      this.accept(text, d, m, s0, contextByProperty, out);
    }
    re.lastIndex = 0;
  }

  private foundBySpecific(out: readonly RawMatch[], start: number, end: number): boolean {
    for (let i = this.first; i < out.length; i++) {
      const m = out[i]!;
      if (this.specific[m.detector] === 1 && m.start < end && start < m.end) return true;
    }
    return false;
  }

  /** Checks context and validity of a match found at `offset` + m.index, and records it. */
  private accept(text: string, d: number, m: RegExpExecArray, offset: number, contextByProperty: boolean, out: RawMatch[]): void {
    const detector = this.detectors[d]!;
    const matchStart = offset + m.index;
    const matchEnd = matchStart + m[0].length;
    let start = matchStart;
    let end = matchEnd;
    if (detector.valueGroup !== undefined) {
      const span = m.indices?.[detector.valueGroup];
      if (span === undefined) return;
      start = offset + span[0];
      end = offset + span[1];
    }
    const context = detector.context;
    if (context !== undefined && !contextByProperty && !keywordBefore(text, matchStart, context.words, context.window)) return;
    // Anchored (specific) detectors ran first: a catch-all need not validate what one of them found
    // (unless it supersedes others: a URL password still explains the email-like user@host in it).
    if (detector.generic === true && detector.supersedes === undefined && this.foundBySpecific(out, start, end)) return;
    if (detector.validate !== undefined) {
      const verdict = detector.validate(text.slice(start, end), { text, start, end });
      if (verdict === false) {
        if (this.specific[d] === 1) this.rejected.push(start, end);
        return;
      }
      if (typeof verdict === 'number') end = start + verdict;
    }
    out.push({ detector: d, start, end, matchStart, matchEnd });
  }
}

function entryFor(t: Trigger & { detector: number }, detectorId: string): Entry {
  const atoms = parseTrigger(t.source, t.ignoreCase === true);
  const fixed = atoms.every((a) => !a.optional);
  const plainLiteral = !/[\\[\]{}?.]/.test(t.source) && t.before === undefined && t.after === undefined;
  const at = t.at ?? (plainLiteral ? 0 : undefined);
  if (at !== undefined && !fixed) throw new Error(`DLP detector ${detectorId}: an anchored trigger (${t.source}) must have a fixed length`);
  return {
    detector: t.detector,
    before: t.before ?? atoms.length,
    after: t.after ?? 0,
    anchor: at === undefined ? NOT_ANCHORED : at - atoms.length,
  };
}

/** True when one of `words` ends within `window` characters before `position`, at the start of a word. */
export function keywordBefore(text: string, position: number, words: readonly string[], window: number): boolean {
  if (words.length === 0) return false;
  const longest = words.reduce((max, w) => Math.max(max, w.length), 0);
  const from = Math.max(0, position - window - longest);
  const before = text.slice(from, position).toLowerCase();
  for (const word of words) {
    for (let i = before.indexOf(word); i >= 0; i = before.indexOf(word, i + 1)) {
      const startsWord = i === 0 ? from === 0 || !isLetter(text.charCodeAt(from - 1)) : !isLetter(before.charCodeAt(i - 1));
      if (startsWord && before.length - (i + word.length) <= window) return true;
    }
  }
  return false;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function escapeTrigger(word: string): string {
  return word.replace(/[\\[\]{}?.]/g, '\\$&');
}

/**
 * Keeps one match per place and detector: two triggers of one detector can find the same value,
 * or a longer and a shorter reading of it (+1 415 555 0132 and 415 555 0132); the earlier, longer one stays.
 */
function dedupe(out: RawMatch[], first: number): void {
  const mine = out.splice(first).sort((a, b) => a.matchStart - b.matchStart || b.matchEnd - a.matchEnd);
  const reach = new Map<number, number>();
  for (const m of mine) {
    if ((reach.get(m.detector) ?? -1) > m.matchStart) continue;
    reach.set(m.detector, m.matchEnd);
    out.push(m);
  }
}

/**
 * Drops findings another detector supersedes (an email inside a connection string), then generic
 * findings whose value a specific secret detector found or rejected. O(n log n) in the matches,
 * so a string with thousands of them costs no more than sorting them.
 */
function dropSuperseded(detectors: readonly Detector[], specific: Uint8Array, rejected: readonly number[], out: RawMatch[], first: number): void {
  const mine = out.splice(first);
  const blockersOf = new Map<string, number[]>();
  for (const m of mine) {
    for (const id of detectors[m.detector]!.supersedes ?? []) {
      let list = blockersOf.get(id);
      if (list === undefined) blockersOf.set(id, (list = []));
      list.push(m.matchStart, m.matchEnd);
    }
  }
  const superseding = new Map([...blockersOf].map(([id, spans]) => [id, new IntervalIndex(spans)]));
  const kept = mine.filter((m) => superseding.get(detectors[m.detector]!.id)?.overlaps(m.matchStart, m.matchEnd) !== true);
  const explaining = new IntervalIndex([...kept.filter((m) => specific[m.detector] === 1).flatMap((m) => [m.start, m.end]), ...rejected]);
  out.push(...kept.filter((m) => detectors[m.detector]!.generic !== true || !explaining.overlaps(m.start, m.end)));
}

/** Answers "does [a, b) overlap any of these intervals?" in O(log n). */
class IntervalIndex {
  private readonly starts: number[] = [];
  /** The largest end among intervals up to each index (sorted by start). */
  private readonly maxEnds: number[] = [];

  constructor(pairs: readonly number[]) {
    const intervals: [number, number][] = [];
    for (let i = 0; i < pairs.length; i += 2) intervals.push([pairs[i]!, pairs[i + 1]!]);
    intervals.sort((x, y) => x[0] - y[0]);
    let maxEnd = -1;
    for (const [start, end] of intervals) {
      maxEnd = Math.max(maxEnd, end);
      this.starts.push(start);
      this.maxEnds.push(maxEnd);
    }
  }

  overlaps(a: number, b: number): boolean {
    // The last interval starting before b; any earlier one overlaps iff the furthest end passes a.
    let lo = 0;
    let hi = this.starts.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < b) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return last >= 0 && this.maxEnds[last]! > a;
  }
}
