// Characters a person reading a tool's description does not see but a model reads: zero-width and
// other format characters, bidi controls that reorder what is displayed, tag characters that spell
// ASCII invisibly ("ASCII smuggling"), variation selectors used to smuggle bytes, blank fillers,
// private-use and control characters. Every function here makes one pass over the text, so it
// stays linear however long and hostile a description is.

export type InvisibleKind = 'bidi-control' | 'hidden-unicode';

export interface InvisibleChar {
  /** UTF-16 index in the text. */
  readonly index: number;
  readonly codePoint: number;
  readonly kind: InvisibleKind;
}

// One character class, so a scan is a single linear pass. \p{Cf} covers most of the explicit
// ranges; they are listed anyway so the intent survives a Unicode version that reclassifies one.
const SUSPECT_CLASS =
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5' +
  '\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u2800\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFFB' +
  '\\u{E0000}-\\u{E0FFF}\\p{Cf}\\p{Co}]';
const SUSPECT_GLOBAL = new RegExp(SUSPECT_CLASS, 'gu');
const SUSPECT_ONE = new RegExp(`^${SUSPECT_CLASS}$`, 'u');

const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);
const ZWJ = 0x200d;
const EMOJI = /^\p{Emoji}$/u;
const PICTOGRAPH = /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)$/u;
const WHITESPACE = /^\s$/u;

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

/** `U+200B`, `U+E0041`. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `U+200B ZERO WIDTH SPACE`, `U+E0041 TAG "A"`. */
export function describeCodePoint(codePoint: number): string {
  const name = NAMES[codePoint];
  if (name !== undefined) return `${codePointLabel(codePoint)} ${name}`;
  if (codePoint >= 0xe0020 && codePoint <= 0xe007e) return `${codePointLabel(codePoint)} TAG ${JSON.stringify(String.fromCharCode(codePoint - 0xe0000))}`;
  return codePointLabel(codePoint);
}

function codePointBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(index - 2);
  }
  return low;
}

const matches = (re: RegExp, codePoint: number | undefined): boolean => codePoint !== undefined && re.test(String.fromCodePoint(codePoint));

// Emoji sequences legitimately use a joiner between pictographs (👩‍💻) and a presentation selector
// after an emoji (⚠️); those are what the reader sees, so they are not hidden.
function isEmojiSequencePart(text: string, index: number, codePoint: number): boolean {
  if (codePoint === 0xfe0e || codePoint === 0xfe0f) return matches(EMOJI, codePointBefore(text, index));
  if (codePoint === ZWJ) return matches(PICTOGRAPH, codePointBefore(text, index)) && matches(PICTOGRAPH, text.codePointAt(index + 1));
  return false;
}

/** Every invisible or display-reordering character in `text`, in order. */
export function findInvisible(text: string): InvisibleChar[] {
  const found: InvisibleChar[] = [];
  for (const match of text.matchAll(SUSPECT_GLOBAL)) {
    const codePoint = match[0].codePointAt(0)!;
    if (isEmojiSequencePart(text, match.index, codePoint)) continue;
    found.push({ index: match.index, codePoint, kind: BIDI.has(codePoint) ? 'bidi-control' : 'hidden-unicode' });
  }
  return found;
}

/** The ASCII that tag characters (U+E0020–U+E007E) spell out, invisibly, in `text`. */
export function decodeTagCharacters(text: string): string {
  let decoded = '';
  for (const match of text.matchAll(/[\u{E0020}-\u{E007E}]/gu)) decoded += String.fromCharCode(match[0].codePointAt(0)! - 0xe0000);
  return decoded;
}

/**
 * `text` as a person should see it to judge it: each invisible character written as `<U+200B>`,
 * line breaks and tabs as spaces, cut to `max` characters.
 */
export function makeVisible(text: string, max = Number.POSITIVE_INFINITY): string {
  let out = '';
  let from = 0;
  for (const hidden of findInvisible(text)) {
    if (out.length > max) break;
    out += text.slice(from, hidden.index) + `<${codePointLabel(hidden.codePoint)}>`;
    from = hidden.index + (hidden.codePoint > 0xffff ? 2 : 1);
  }
  // One character more than fits, so the cut below knows whether anything was left out.
  if (out.length <= max) out += text.slice(from, from + (max - out.length) + 1);
  out = out.replace(/[\t\n\r]/g, ' ');
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

const QUOTES: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201B': "'", '\u02BC': "'", '\u2032': "'", '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u2033': '"' };

export interface NormalizedText {
  /** Lowercase, NFKC per character, invisible characters removed, whitespace runs as one space. */
  readonly text: string;
  /** For each UTF-16 unit of `text`, the index in the original it came from. */
  readonly origin: readonly number[];
}

/**
 * The form rules match against, so `IG\u200BNORE  previous`, `ｉｇｎｏｒｅ` and a line-wrapped
 * phrase read as what the model reads: `ignore previous`.
 */
export function normalizeForMatching(original: string): NormalizedText {
  const parts: string[] = [];
  const origin: number[] = [];
  // Whitespace runs become one space, and none leads: decided without re-reading the output, which
  // would make the pass quadratic.
  let pendingSpace = false;
  const push = (piece: string, index: number, spaceAt: number): void => {
    if (pendingSpace && origin.length > 0) {
      parts.push(' ');
      origin.push(spaceAt);
    }
    pendingSpace = false;
    parts.push(piece);
    for (let k = 0; k < piece.length; k++) origin.push(index);
  };
  let index = 0;
  let spaceAt = 0;
  for (const char of original) {
    const at = index;
    index += char.length;
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) {
        if (!pendingSpace) spaceAt = at;
        pendingSpace = true;
      } else if (code >= 0x20 && code !== 0x7f) {
        push(code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : char, at, spaceAt);
      }
      continue;
    }
    if (SUSPECT_ONE.test(char)) continue;
    if (WHITESPACE.test(char)) {
      if (!pendingSpace) spaceAt = at;
      pendingSpace = true;
      continue;
    }
    push(QUOTES[char] ?? char.normalize('NFKC').toLowerCase(), at, spaceAt);
  }
  return { text: parts.join(''), origin };
}
