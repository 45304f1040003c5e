// Admits a custom DLP pattern only when it provably runs in linear time on JavaScript's
// backtracking engine. recheck, which proves the built-in patterns safe, is a development tool,
// so policy validation uses this conservative check instead:
//
//   - no backreferences, lookarounds or unbounded repetition (*, +, {n,}): every repetition has
//     an upper bound, so a match is at most `maxLength` characters long;
//   - deterministic choices: where a repetition may stop or go on, and between the branches of an
//     alternation, the next character decides, because the characters that can start each choice
//     are disjoint. The engine then never has two live ways to continue, so one attempt costs at
//     most about maxLength steps.
//
// Patterns that need more than this (ambiguous alternatives, overlapping repetitions) are refused
// with a message saying which part to rewrite.
import { intersects, parseSubset, union, UnsafePatternError, type CharSet, type Node } from './regex-subset.js';

export { MAX_REPEAT, UnsafePatternError } from './regex-subset.js';

export interface PatternAnalysis {
  /** The longest possible match. */
  maxLength: number;
  /** Literal characters every match starts with (ASCII only), usable as a trigger. */
  prefix: string;
  /**
   * When the pattern starts by repeating one class a variable number of times ([a-z0-9.]{1,64}@...),
   * that class's source: the scanner then starts matches only where a run of it begins, so a long
   * run costs one attempt, not one per character.
   */
  leadingRun?: string;
}

export const MAX_LENGTH_WITH_PREFIX = 4096;
export const MAX_LENGTH_WITHOUT_PREFIX = 256;
export const MIN_TRIGGER_PREFIX = 3;

/** Analyses a custom pattern; throws UnsafePatternError saying what to change when it is not provably linear. */
export function analyzePattern(source: string, ignoreCase: boolean): PatternAnalysis {
  try {
    new RegExp(source, ignoreCase ? 'gi' : 'g');
  } catch (error) {
    throw new UnsafePatternError(`is not a valid regular expression: ${(error as Error).message}`);
  }
  const root = parseSubset(source, ignoreCase);
  const lengths = lengthOf(root);
  if (lengths.min === 0) throw new UnsafePatternError('can match the empty string; make at least one part required');
  checkDeterministic(root, []);
  const prefix = literalPrefix(root, ignoreCase);
  const limit = prefix.length >= MIN_TRIGGER_PREFIX ? MAX_LENGTH_WITH_PREFIX : MAX_LENGTH_WITHOUT_PREFIX;
  if (lengths.max > limit) {
    throw new UnsafePatternError(
      `can match up to ${lengths.max} characters; the limit is ${MAX_LENGTH_WITHOUT_PREFIX}, or ${MAX_LENGTH_WITH_PREFIX} when the pattern starts with ${MIN_TRIGGER_PREFIX} or more literal characters`,
    );
  }
  const run = leadingRun(root);
  return { maxLength: lengths.max, prefix, ...(run !== undefined ? { leadingRun: run } : {}) };
}

function leadingRun(root: Node): string | undefined {
  if (root.kind !== 'seq') return undefined;
  const first = root.items.find((item) => item.kind !== 'assert');
  if (first?.kind !== 'repeat' || first.min >= first.max || first.body.kind !== 'set') return undefined;
  return first.body.text;
}

/** The problem with a custom pattern in words, or undefined when it is accepted. */
export function patternProblem(source: string, ignoreCase: boolean): string | undefined {
  try {
    analyzePattern(source, ignoreCase);
    return undefined;
  } catch (error) {
    if (error instanceof UnsafePatternError) return error.message;
    throw error;
  }
}

// --- analysis ----------------------------------------------------------------------------------

function lengthOf(node: Node): { min: number; max: number } {
  switch (node.kind) {
    case 'set':
      return { min: 1, max: 1 };
    case 'assert':
      return { min: 0, max: 0 };
    case 'seq':
      return node.items.map(lengthOf).reduce((a, b) => ({ min: a.min + b.min, max: a.max + b.max }), { min: 0, max: 0 });
    case 'alt': {
      const all = node.options.map(lengthOf);
      return { min: Math.min(...all.map((l) => l.min)), max: Math.max(...all.map((l) => l.max)) };
    }
    case 'repeat': {
      const body = lengthOf(node.body);
      return { min: body.min * node.min, max: body.max * node.max };
    }
  }
}

const nullable = (node: Node): boolean => lengthOf(node).min === 0;

/** Characters a non-empty match of `node` can start with. */
function firstOf(node: Node): CharSet {
  switch (node.kind) {
    case 'set':
      return node.set;
    case 'assert':
      return [];
    case 'seq':
      return firstOfSequence(node.items, []);
    case 'alt':
      return union(...node.options.map(firstOf));
    case 'repeat':
      return node.max === 0 ? [] : firstOf(node.body);
  }
}

/** First characters of items, continued by `follow` when all of them can be empty. */
function firstOfSequence(items: readonly Node[], follow: CharSet): CharSet {
  const parts: CharSet[] = [];
  for (const item of items) {
    parts.push(firstOf(item));
    if (!nullable(item)) return union(...parts);
  }
  return union(...parts, follow);
}

function describe(node: Node): string {
  switch (node.kind) {
    case 'set':
    case 'repeat':
      return node.text;
    case 'seq':
      return node.items.map(describe).join('');
    case 'alt':
      return node.options.map(describe).join('|');
    case 'assert':
      return '';
  }
}

/** Throws where the engine could have two live ways to continue; `follow` is what may come next. */
function checkDeterministic(node: Node, follow: CharSet): void {
  switch (node.kind) {
    case 'set':
    case 'assert':
      return;
    case 'seq':
      node.items.forEach((item, i) => checkDeterministic(item, firstOfSequence(node.items.slice(i + 1), follow)));
      return;
    case 'alt': {
      const firsts = node.options.map(firstOf);
      for (let a = 0; a < node.options.length; a++) {
        for (let b = a + 1; b < node.options.length; b++) {
          if (intersects(firsts[a]!, firsts[b]!)) {
            throw new UnsafePatternError(
              `has alternatives '${describe(node.options[a]!)}' and '${describe(node.options[b]!)}' that can start with the same character; factor out what they share (for example AB(?:C|D) instead of ABC|ABD)`,
            );
          }
        }
      }
      if (node.options.filter(nullable).length > 1) throw new UnsafePatternError(`has more than one alternative that can be empty in '${describe(node)}'`);
      node.options.forEach((option, i) => {
        if (nullable(option) && intersects(union(...firsts.filter((_, j) => j !== i)), follow)) {
          throw new UnsafePatternError(`has an optional alternative in '${describe(node)}' that can be followed by what the others start with`);
        }
        checkDeterministic(option, follow);
      });
      return;
    }
    case 'repeat': {
      const first = firstOf(node.body);
      if (nullable(node.body)) throw new UnsafePatternError(`repeats '${node.text}', which can match the empty string`);
      if (node.min < node.max && intersects(first, follow)) {
        throw new UnsafePatternError(
          `lets '${node.text}' end where what follows it can begin, so the engine must try every split; make the repetition's characters and the next part's characters disjoint`,
        );
      }
      checkDeterministic(node.body, node.max > 1 ? union(first, follow) : follow);
      return;
    }
  }
}

/** Leading literal characters (ASCII, printable); case pairs count as one under ignoreCase. */
function literalPrefix(node: Node, ignoreCase: boolean): string {
  const items = node.kind === 'seq' ? node.items : [node];
  let prefix = '';
  for (const item of items) {
    if (item.kind === 'assert') continue;
    if (item.kind !== 'set') break;
    const set = item.set;
    const single = set.length === 1 && set[0]![0] === set[0]![1] ? set[0]![0] : undefined;
    const pair = ignoreCase && set.length === 2 && set[0]![0] === set[0]![1] && set[1]![0] === set[1]![1] && set[1]![0] - set[0]![0] === 32 ? set[1]![0] : undefined;
    const c = single ?? pair;
    if (c === undefined || c < 0x20 || c > 0x7e) break;
    prefix += String.fromCharCode(c);
  }
  return prefix;
}
