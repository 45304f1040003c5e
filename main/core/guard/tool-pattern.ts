// Tool patterns in policy are names with `*` (any run of characters) and `?` (one character).
// Matched by the classic two-pointer wildcard walk rather than a regular expression: `a*a*a*b` as a
// regex backtracks polynomially on a long run of `a`, while this walk is O(name × pattern) at worst.
export type ToolPattern = (toolName: string) => boolean;

export function compileToolPattern(pattern: string): ToolPattern {
  if (!pattern.includes('*') && !pattern.includes('?')) return (name) => name === pattern;
  const p = pattern.replace(/\*+/g, '*');
  return (name) => wildcardMatch(p, name);
}

function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1; // position of the last `*` seen in the pattern
  let resume = 0; // where in the name that `*` would try matching next
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
