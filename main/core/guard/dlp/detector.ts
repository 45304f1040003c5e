// What a DLP detector is: a pattern for one kind of sensitive value, the cheap triggers that say
// where the pattern is worth running, and the checks that tell a real value from a look-alike.
//
// Speed comes from the triggers: one automaton finds every trigger in a string in a single pass
// (trigger-automaton.ts), and a detector's pattern runs only in a small window around its triggers.
// Linear time comes from the patterns: each built-in pattern is bounded and starts at a boundary,
// and test/unit/core/guard/dlp/redos.test.ts proves every one safe with recheck.

/** From least to most strict; when several findings disagree the strictest action wins. */
export const DLP_ACTIONS = ['log', 'redact', 'ask', 'block'] as const;
export type DlpAction = (typeof DLP_ACTIONS)[number];

export function stricterAction(a: DlpAction, b: DlpAction): DlpAction {
  return DLP_ACTIONS.indexOf(a) >= DLP_ACTIONS.indexOf(b) ? a : b;
}

export type DetectorCategory = 'secret' | 'credential' | 'pii' | 'financial' | 'network' | 'custom';

/** Where a candidate sits, for validators that look at its surroundings. */
export interface MatchContext {
  /** The whole string the match was found in. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A place where a detector's pattern is worth running. `source` is a tiny pattern of fixed shape:
 * literal characters, escapes (\d \w \s \. ...), ASCII classes ([0-9] [^A-Za-z]) and {m,n} or ?
 * after a single atom. A negated class also matches the start of the string.
 */
export interface Trigger {
  readonly source: string;
  readonly ignoreCase?: boolean;
  /** How many characters before the trigger's end a match may start; defaults to the trigger's longest length. */
  readonly before?: number;
  /** How many characters after the trigger's end a match may start; defaults to 0. */
  readonly after?: number;
  /**
   * The match starts exactly this many characters after the trigger's start, so the pattern is
   * tried there alone (sticky) instead of over a window. The default for a plain literal trigger
   * without before/after is 0. Only for triggers of fixed length.
   */
  readonly at?: number;
}

/**
 * Context a detector needs before it believes a match: a keyword shortly before it, or a property
 * name that says what the value is ({"aws_secret_access_key": "..."}).
 */
export interface KeywordContext {
  /** Lowercase words; each is also a trigger, so the pattern runs after it. */
  readonly words: readonly string[];
  /** How far before the match a keyword may end. */
  readonly window: number;
  /** A property name (≤ 128 characters) that makes the whole value a candidate, without a keyword. */
  readonly property?: RegExp;
}

export interface Detector {
  /** Stable id used in policy, audit records and redaction markers. */
  readonly id: string;
  readonly title: string;
  readonly category: DetectorCategory;
  readonly defaultAction: DlpAction;
  readonly confidence: 'high' | 'medium' | 'low';
  /** Global ('g'); 'i' for keyword-led patterns; 'd' when valueGroup is set. */
  readonly pattern: RegExp;
  /** The capture group holding the sensitive value (the finding), when the pattern also matches its label. */
  readonly valueGroup?: number;
  /** The longest text the pattern can match; bounds the window it is run on. */
  readonly maxLength: number;
  readonly triggers: readonly Trigger[];
  readonly context?: KeywordContext;
  /**
   * Checksum, structure or entropy check of the sensitive value. A number means "valid, but only
   * its first n characters" (a card number followed by an expiry printed like one more group).
   */
  readonly validate?: (value: string, context: MatchContext) => boolean | number;
  /**
   * A catch-all (a password assignment, a bearer token, a key=value): it stands down where a
   * specific secret detector found its value (a GitHub token as a URL password), or recognised the
   * value's format and rejected it (a placeholder or a failing checksum).
   */
  readonly generic?: boolean;
  /** Ids of detectors whose findings inside this one's are part of it (an email inside a connection string). */
  readonly supersedes?: readonly string[];
  /** Run on every string (custom rules without a literal prefix or keywords). */
  readonly scanWholeText?: boolean;
}
