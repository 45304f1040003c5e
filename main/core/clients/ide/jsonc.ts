// VS Code's config files are JSONC: // and /* */ comments and trailing commas are allowed. There is
// no JSONC parser among our dependencies and the job is small, so this blanks those out and
// leaves the rest to JSON.parse. Blanking (rather than deleting) keeps every character at its
// offset, so JSON.parse's "at position N (line L column C)" still points into the user's file.

/** `text` with comments and trailing commas replaced by spaces; strings are left untouched. */
export function blankJsoncExtras(text: string): string {
  const out = text.split(''); // UTF-16 units, the unit of JSON.parse's positions
  const n = out.length;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let i = 0;
  while (i < n) {
    const ch = out[i];
    if (ch === '"') {
      i = skipString(out, i);
    } else if (ch === '/' && out[i + 1] === '/') {
      let j = i;
      while (j < n && out[j] !== '\n' && out[j] !== '\r') j++;
      blank(i, j);
      i = j;
    } else if (ch === '/' && out[i + 1] === '*') {
      const end = indexOfClose(out, i + 2);
      // An unterminated comment is left in place so JSON.parse reports it where it starts.
      if (end === -1) break;
      blank(i, end + 2);
      i = end + 2;
    } else {
      i++;
    }
  }
  blankTrailingCommas(out);
  return out.join('');
}

/** Parses JSON that may contain comments and trailing commas. Throws JSON.parse's SyntaxError. */
export function parseJsonc(text: string): unknown {
  return JSON.parse(blankJsoncExtras(text));
}

// Returns the index just past the closing quote (or the end, for an unterminated string).
function skipString(chars: string[], start: number): number {
  let j = start + 1;
  while (j < chars.length && chars[j] !== '"') j += chars[j] === '\\' ? 2 : 1;
  return j + 1;
}

function indexOfClose(chars: string[], from: number): number {
  for (let j = from; j + 1 < chars.length; j++) if (chars[j] === '*' && chars[j + 1] === '/') return j;
  return -1;
}

// Runs after comments are blanked, so only whitespace can sit between a comma and its bracket.
function blankTrailingCommas(chars: string[]): void {
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i];
    if (ch === '"') {
      i = skipString(chars, i);
      continue;
    }
    if (ch === ',') {
      let j = i + 1;
      while (j < chars.length && /\s/.test(chars[j] ?? '')) j++;
      if (chars[j] === '}' || chars[j] === ']') chars[i] = ' ';
    }
    i++;
  }
}
