// One pass over a string finds every trigger of every detector: the triggers (short fixed-shape
// patterns such as `ghp_`, `-----BEGIN` or `[^0-9][2-6]\d{3}[ -]?\d{4}`) are compiled together
// into a DFA over ASCII, so the cost per character is one table lookup whatever the number of
// detectors. Characters outside ASCII read as NUL, which also stands for "before the start", so a
// negated class at the front of a trigger means "at a boundary".
import type { Trigger } from './detector.js';

const ALPHABET = 128;

export interface Atom {
  set: Uint8Array;
  optional: boolean;
}

/** Occurrences found by one run: the automaton state at each trigger end, and that end (exclusive). */
export interface TriggerHits {
  count: number;
  states: Int32Array;
  ends: Int32Array;
}

export class TriggerAutomaton {
  /** Number of characters each trigger spans at most. */
  readonly maxLengths: readonly number[];
  readonly stateCount: number;
  private readonly table: Uint16Array;
  /** States from this number up report triggers: a comparison, not a load, per character. */
  private readonly firstAccepting: number;
  private readonly outStart: Int32Array;
  private readonly outList: Int32Array;
  private readonly initial: number;
  private readonly scan: (text: string, states: Int32Array, ends: Int32Array) => number;

  constructor(triggers: readonly Trigger[]) {
    const compiled = triggers.map((t) => parseTrigger(t.source, t.ignoreCase === true));
    this.maxLengths = compiled.map((atoms) => atoms.length);
    const built = determinize(compiled);
    this.stateCount = built.outputs.length;
    // Renumber: states without outputs first, so "reports something" is state >= firstAccepting.
    const order = built.outputs.map((o, state) => ({ state, accepting: o.length > 0 })).sort((a, b) => Number(a.accepting) - Number(b.accepting));
    const renumbered = new Int32Array(this.stateCount);
    order.forEach(({ state }, index) => (renumbered[state] = index));
    this.firstAccepting = order.findIndex((o) => o.accepting) < 0 ? this.stateCount : order.findIndex((o) => o.accepting);
    this.table = new Uint16Array(this.stateCount * ALPHABET);
    for (let state = 0; state < this.stateCount; state++) {
      for (let c = 0; c < ALPHABET; c++) this.table[renumbered[state]! * ALPHABET + c] = renumbered[built.table[state * ALPHABET + c]!]!;
    }
    this.outStart = new Int32Array(this.stateCount + 1);
    const flat: number[] = [];
    order.forEach(({ state }, index) => {
      this.outStart[index] = flat.length;
      flat.push(...built.outputs[state]!);
    });
    this.outStart[this.stateCount] = flat.length;
    this.outList = Int32Array.from(flat);
    this.initial = renumbered[built.initial]!;
    this.scan = scanner(this.table, this.firstAccepting, this.initial);
  }

  /** Trigger indices that end in an automaton state reported by run(). */
  outputsOf(state: number): Int32Array {
    return this.outList.subarray(this.outStart[state]!, this.outStart[state + 1]!);
  }

  /** Records every trigger occurrence in `text` into `hits` (grown as needed); returns the count. */
  run(text: string, hits: TriggerHits): number {
    let count = this.scan(text, hits.states, hits.ends);
    if (count > hits.states.length) {
      grow(hits, count);
      count = this.scan(text, hits.states, hits.ends);
    }
    hits.count = count;
    return count;
  }
}

/**
 * The hot loop, as a closure over the table: V8 keeps captured constants out of the loop's
 * loads, which measured about a quarter faster than reading them from `this` or from an object.
 * Returns how many triggers ended in `text`, recording at most as many as the arrays hold.
 */
function scanner(table: Uint16Array, firstAccepting: number, initial: number): (text: string, states: Int32Array, ends: Int32Array) => number {
  return (text, states, ends) => {
    const capacity = states.length;
    let state = initial;
    let count = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      state = table[(state << 7) | (c < ALPHABET ? c : 0)]!;
      if (state >= firstAccepting) {
        if (count < capacity) {
          states[count] = state;
          ends[count] = i + 1;
        }
        count++;
      }
    }
    return count;
  };
}

export function newTriggerHits(capacity = 256): TriggerHits {
  return { count: 0, states: new Int32Array(capacity), ends: new Int32Array(capacity) };
}

function grow(hits: TriggerHits, needed: number): void {
  const size = Math.max(needed, hits.states.length * 2);
  hits.states = new Int32Array(size);
  hits.ends = new Int32Array(size);
}

// --- the trigger mini-language -------------------------------------------------------------

const DIGITS = '0123456789';
const WORD = `${DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_`;
const SPACE = ' \t\n\r\v\f';

function setOf(chars: string): Uint8Array {
  const set = new Uint8Array(ALPHABET);
  for (const ch of chars) set[ch.charCodeAt(0)] = 1;
  return set;
}

function escapeSet(ch: string): Uint8Array {
  if (ch === 'd') return setOf(DIGITS);
  if (ch === 'w') return setOf(WORD);
  if (ch === 's') return setOf(SPACE);
  if (/[A-Za-z0-9]/.test(ch)) throw new Error(`trigger escape \\${ch} is not supported`);
  return setOf(ch);
}

/** Parses a trigger into single-character atoms, expanding {m,n} into m required and n-m optional copies. */
export function parseTrigger(source: string, ignoreCase: boolean): Atom[] {
  const atoms: Atom[] = [];
  let i = 0;
  while (i < source.length) {
    let set: Uint8Array;
    const ch = source[i]!;
    if (ch === '\\') {
      set = escapeSet(source[i + 1] ?? '\\');
      i += 2;
    } else if (ch === '[') {
      const close = source.indexOf(']', i + 2);
      if (close < 0) throw new Error(`unclosed class in trigger ${source}`);
      set = classSet(source.slice(i + 1, close));
      i = close + 1;
    } else if (ch === '.') {
      set = new Uint8Array(ALPHABET).fill(1);
      i += 1;
    } else {
      if (ch.charCodeAt(0) >= ALPHABET) throw new Error(`trigger ${JSON.stringify(source)} must be ASCII`);
      set = setOf(ch);
      i += 1;
    }
    if (ignoreCase) foldCase(set);
    let min = 1;
    let max = 1;
    if (source[i] === '?') {
      min = 0;
      i += 1;
    } else if (source[i] === '{') {
      const close = source.indexOf('}', i);
      const m = /^(\d+)(?:,(\d+))?$/.exec(source.slice(i + 1, close));
      if (close < 0 || m === null) throw new Error(`bad repetition in trigger ${source}`);
      min = Number(m[1]);
      max = m[2] === undefined ? min : Number(m[2]);
      i = close + 1;
    }
    for (let k = 0; k < max; k++) atoms.push({ set, optional: k >= min });
  }
  if (atoms.length === 0 || atoms.length > 64) throw new Error(`trigger ${JSON.stringify(source)} must be 1 to 64 characters long`);
  if (atoms.every((a) => a.optional)) throw new Error(`trigger ${JSON.stringify(source)} matches the empty string`);
  return atoms;
}

function classSet(body: string): Uint8Array {
  const negate = body.startsWith('^');
  const set = new Uint8Array(ALPHABET);
  let j = negate ? 1 : 0;
  // One class member: a character code, or -1 after adding an escape class (\d \w \s) itself.
  const member = (): number => {
    if (body[j] !== '\\') return body.charCodeAt(j++);
    const escaped = body[j + 1] ?? '\\';
    j += 2;
    if (!/[dws]/.test(escaped)) return escaped.charCodeAt(0);
    escapeSet(escaped).forEach((v, c) => {
      if (v) set[c] = 1;
    });
    return -1;
  };
  while (j < body.length) {
    const from = member();
    if (from < 0) continue;
    if (body[j] === '-' && j + 1 < body.length) {
      j += 1;
      const to = member();
      for (let c = from; c <= to; c++) set[c] = 1;
    } else {
      set[from] = 1;
    }
  }
  if (negate) {
    for (let c = 0; c < ALPHABET; c++) set[c] = set[c] ? 0 : 1;
    set[0] = 1;
  }
  return set;
}

function foldCase(set: Uint8Array): void {
  for (let c = 65; c <= 90; c++) {
    if (set[c] || set[c + 32]) set[c] = set[c + 32] = 1;
  }
}

// --- subset construction -------------------------------------------------------------------

const MAX_STATES = 0xffff;

/**
 * The DFA of "any of the triggers ends here". Characters that no atom tells apart share one
 * column while building, which keeps compilation fast; the table is expanded to 128 columns.
 * A position is an index into the triggers' atoms laid end to end, plus one "done" slot after
 * each trigger.
 */
function determinize(triggers: Atom[][]): { table: Int32Array; outputs: number[][]; initial: number } {
  // Character classes: characters with the same membership in every atom set.
  const sets = new Map<Uint8Array, number>();
  for (const atoms of triggers) for (const atom of atoms) if (!sets.has(atom.set)) sets.set(atom.set, sets.size);
  const signature = Array.from({ length: ALPHABET }, () => [] as number[]);
  for (const [set, id] of sets) for (let c = 0; c < ALPHABET; c++) if (set[c] === 1) signature[c]!.push(id);
  const classIds = new Map<string, number>();
  const classOf = signature.map((sig) => {
    const key = sig.join(',');
    let id = classIds.get(key);
    if (id === undefined) classIds.set(key, (id = classIds.size));
    return id;
  });
  const representative: number[] = [];
  classOf.forEach((id, c) => (representative[id] ??= c));
  const classes = representative.length;

  // Flat positions: for each, whether each class advances it, whether it may be skipped, and
  // which trigger it completes (for "done" slots).
  const firstOf: number[] = [];
  const advances: number[] = [];
  const optional: boolean[] = [];
  const done: number[] = [];
  triggers.forEach((atoms, t) => {
    firstOf.push(done.length);
    for (const atom of atoms) {
      for (let k = 0; k < classes; k++) advances.push(atom.set[representative[k]!]!);
      optional.push(atom.optional);
      done.push(-1);
    }
    for (let k = 0; k < classes; k++) advances.push(0);
    optional.push(false);
    done.push(t);
  });
  const positions = done.length;
  const seen = new Int32Array(positions);
  let generation = 0;
  /** Sorted, deduplicated, with skippable atoms skipped. */
  const closeOver = (list: number[]): number[] => {
    generation++;
    const out: number[] = [];
    for (let i = 0; i < list.length; i++) {
      for (let p = list[i]!; seen[p] !== generation; p++) {
        seen[p] = generation;
        out.push(p);
        if (!optional[p]) break;
      }
    }
    return out.sort((a, b) => a - b);
  };
  const starts = closeOver(firstOf);
  const fromStarts = representative.map((_, k) => starts.filter((p) => advances[p * classes + k] === 1).map((p) => p + 1));

  const ids = new Map<string, number>();
  const states: number[][] = [];
  const outputs: number[][] = [];
  const byClass: number[] = [];
  const intern = (list: number[]): number => {
    const key = list.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      if (states.length >= MAX_STATES) throw new Error('DLP triggers are too many or too ambiguous to compile');
      id = states.length;
      ids.set(key, id);
      states.push(list.filter((p) => done[p] === -1));
      outputs.push(list.filter((p) => done[p]! >= 0).map((p) => done[p]!));
    }
    return id;
  };
  intern([]);
  for (let s = 0; s < states.length; s++) {
    const live = states[s]!;
    for (let k = 0; k < classes; k++) {
      const moved = fromStarts[k]!.slice();
      for (const p of live) if (advances[p * classes + k] === 1) moved.push(p + 1);
      byClass.push(intern(closeOver(moved)));
    }
  }
  const table = new Int32Array(states.length * ALPHABET);
  for (let s = 0; s < states.length; s++) for (let c = 0; c < ALPHABET; c++) table[s * ALPHABET + c] = byClass[s * classes + classOf[c]!]!;
  // The string starts as if after a NUL, so boundary classes match at position 0.
  return { table, outputs, initial: table[0]! };
}
