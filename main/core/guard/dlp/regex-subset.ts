// The part of JavaScript's regular expression syntax custom DLP patterns may use, parsed into a
// small tree with character sets as ranges, for pattern-safety.ts to analyse. Anything outside it
// (lookarounds, backreferences, unbounded repetition, \p{...}) is refused with a message.

export class UnsafePatternError extends Error {}

export const MAX_REPEAT = 1000;

export type Range = readonly [number, number];
export type CharSet = readonly Range[];

export type Node =
  | { kind: 'set'; set: CharSet; text: string }
  | { kind: 'assert' }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; body: Node; min: number; max: number; text: string };

// --- character sets ----------------------------------------------------------------------------

const MAX_CHAR = 0xffff;

function normalize(ranges: Range[]): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out.at(-1);
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export const union = (...sets: CharSet[]): CharSet => normalize(sets.flat());

function complement(set: CharSet): CharSet {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CHAR) out.push([next, MAX_CHAR]);
  return out;
}

export function intersects(a: CharSet, b: CharSet): boolean {
  for (const [alo, ahi] of a) for (const [blo, bhi] of b) if (alo <= bhi && blo <= ahi) return true;
  return false;
}

function foldCase(set: CharSet): CharSet {
  const extra: Range[] = [];
  for (const [lo, hi] of set) {
    if (hi - lo > 512) continue;
    for (let c = lo; c <= hi; c++) {
      for (const variant of [String.fromCharCode(c).toLowerCase(), String.fromCharCode(c).toUpperCase()]) {
        if (variant.length === 1) extra.push([variant.charCodeAt(0), variant.charCodeAt(0)]);
      }
    }
  }
  return union(set, extra);
}

const char = (c: number): CharSet => [[c, c]];
const DIGIT: CharSet = [[48, 57]];
const WORD: CharSet = normalize([[48, 57], [65, 90], [95, 95], [97, 122]]);
const SPACE: CharSet = normalize([[9, 13], [32, 32], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]]);
const LINE_TERMINATORS: CharSet = normalize([[10, 10], [13, 13], [0x2028, 0x2029]]);

// --- parser ------------------------------------------------------------------------------------

class Parser {
  private i = 0;

  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Node {
    const node = this.disjunction();
    if (this.i < this.source.length) throw new UnsafePatternError(`has an unmatched ')' at position ${this.i}`);
    return node;
  }

  private peek(offset = 0): string {
    return this.source[this.i + offset] ?? '';
  }

  private disjunction(): Node {
    const options = [this.alternative()];
    while (this.peek() === '|') {
      this.i++;
      options.push(this.alternative());
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  private alternative(): Node {
    const items: Node[] = [];
    while (this.i < this.source.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.term());
    return { kind: 'seq', items };
  }

  private term(): Node {
    const start = this.i;
    const ch = this.peek();
    if (ch === '^' || ch === '$') {
      this.i++;
      return { kind: 'assert' };
    }
    if (ch === '\\' && (this.peek(1) === 'b' || this.peek(1) === 'B')) {
      this.i += 2;
      return { kind: 'assert' };
    }
    const atom = this.atom();
    return this.quantified(atom, start);
  }

  private quantified(atom: Node, start: number): Node {
    const ch = this.peek();
    let min: number;
    let max: number;
    if (ch === '*' || ch === '+') {
      throw new UnsafePatternError(`repeats '${this.source.slice(start, this.i)}' without a limit ('${ch}'); give it an upper bound such as {1,64}`);
    } else if (ch === '?') {
      this.i++;
      [min, max] = [0, 1];
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.i));
      if (m === null) throw new UnsafePatternError(`has a '{' that is not a repetition at position ${this.i}; write \\{ for the character`);
      if (m[2] !== undefined && m[3] === '') {
        throw new UnsafePatternError(`repeats '${this.source.slice(start, this.i)}' without a limit ('${m[0]}'); give it an upper bound such as {${m[1]},64}`);
      }
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[3] === undefined ? min : Number(m[3]);
      if (max > MAX_REPEAT) throw new UnsafePatternError(`repeats '${this.source.slice(start, this.i - m[0].length)}' up to ${max} times; the limit is ${MAX_REPEAT}`);
    } else {
      return atom;
    }
    if (this.peek() === '?') this.i++;
    return { kind: 'repeat', body: atom, min, max, text: this.source.slice(start, this.i) };
  }

  private atom(): Node {
    const start = this.i;
    const ch = this.peek();
    if (ch === '(') {
      this.i++;
      if (this.peek() === '?') {
        const kind = this.source.slice(this.i, this.i + 3);
        if (kind.startsWith('?:')) this.i += 2;
        else if (kind === '?<=' || kind === '?<!' || kind.startsWith('?=') || kind.startsWith('?!')) {
          throw new UnsafePatternError('uses a lookaround ((?=, (?!, (?<=, (?<!); custom patterns may not (\\b marks a word boundary)');
        } else if (kind.startsWith('?<')) {
          const close = this.source.indexOf('>', this.i);
          this.i = close + 1;
        } else throw new UnsafePatternError(`has an unsupported group '(${kind}' at position ${start}`);
      }
      const body = this.disjunction();
      if (this.peek() !== ')') throw new UnsafePatternError(`has an unclosed '(' at position ${start}`);
      this.i++;
      return body;
    }
    if (ch === '[') return this.characterClass();
    if (ch === '.') {
      this.i++;
      return this.set(complement(LINE_TERMINATORS), start);
    }
    if (ch === '\\') return this.set(this.escape(false), start);
    if (ch === '*' || ch === '+' || ch === '?' || ch === '{') throw new UnsafePatternError(`has a repetition '${ch}' with nothing to repeat at position ${start}`);
    this.i++;
    return this.set(char(ch.charCodeAt(0)), start);
  }

  private set(set: CharSet, start: number): Node {
    return { kind: 'set', set: this.ignoreCase ? foldCase(set) : set, text: this.source.slice(start, this.i) };
  }

  /** After a backslash; inside a class \b is a backspace. */
  private escape(inClass: boolean): CharSet {
    this.i++;
    const ch = this.peek();
    this.i++;
    switch (ch) {
      case 'd': return DIGIT;
      case 'D': return complement(DIGIT);
      case 'w': return WORD;
      case 'W': return complement(WORD);
      case 's': return SPACE;
      case 'S': return complement(SPACE);
      case 't': return char(9);
      case 'n': return char(10);
      case 'v': return char(11);
      case 'f': return char(12);
      case 'r': return char(13);
      case '0': return char(0);
      case 'b':
        if (inClass) return char(8);
        break;
      case 'x':
      case 'u': {
        const digits = ch === 'x' ? 2 : 4;
        const hex = this.source.slice(this.i, this.i + digits);
        if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) return char(ch.charCodeAt(0));
        this.i += digits;
        return char(parseInt(hex, 16));
      }
      case 'k':
        throw new UnsafePatternError('uses a backreference (\\k<name>); custom patterns may not');
      case 'c':
      case 'p':
      case 'P':
        throw new UnsafePatternError(`uses \\${ch}, which custom patterns do not support`);
      default:
        break;
    }
    if (/[1-9]/.test(ch)) throw new UnsafePatternError(`uses a backreference (\\${ch}); custom patterns may not`);
    return char(ch.charCodeAt(0));
  }

  private characterClass(): Node {
    const start = this.i;
    this.i++;
    const negate = this.peek() === '^';
    if (negate) this.i++;
    const parts: CharSet[] = [];
    while (this.peek() !== ']') {
      if (this.i >= this.source.length) throw new UnsafePatternError(`has an unclosed '[' at position ${start}`);
      const from = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '' && from.length === 1 && from[0]![0] === from[0]![1]) {
        this.i++;
        const to = this.classAtom();
        if (to.length !== 1 || to[0]![0] !== to[0]![1]) throw new UnsafePatternError(`has a class range ending in a class at position ${start}`);
        parts.push([[from[0]![0], to[0]![0]]]);
      } else {
        parts.push(from);
      }
    }
    this.i++;
    const set = union(...parts);
    return this.set(negate ? complement(set) : set, start);
  }

  private classAtom(): CharSet {
    if (this.peek() === '\\') return this.escape(true);
    const c = this.source.charCodeAt(this.i);
    this.i++;
    return char(c);
  }
}

/** Parses `source` (already known to compile) into the subset's tree. */
export function parseSubset(source: string, ignoreCase: boolean): Node {
  return new Parser(source, ignoreCase).parse();
}
