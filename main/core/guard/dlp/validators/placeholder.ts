// Values that only look like secrets: documentation examples (AKIAIOSFODNN7EXAMPLE), masks
// (XXXXXXXX, ****), template variables (${TOKEN}, {{ api_key }}, <your-key>) and the like.

const PLACEHOLDER_WORDS = /example|xxxx|\*\*\*|placeholder|your[_-]?(?:api|key|token|secret|pass)|yourkey|dummy|sample|redacted|changeme|insert[_-]?|replace[_-]?me|fake|notreal|not[_-]real|lorem|abcdef|123456/i;

/** True when the value is a template, mask or example rather than a real secret. */
export function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER_WORDS.test(value)) return true;
  if (value.includes('${') || value.includes('{{') || value.includes('%s') || value.includes('<') || value.includes('$(')) return true;
  return hasLongRun(value, 6) || distinctCharacters(value) < Math.min(6, Math.ceil(value.length / 3));
}

/** True when some character repeats `length` times in a row. */
export function hasLongRun(value: string, length: number): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) ? run + 1 : 1;
    if (run >= length) return true;
  }
  return false;
}

function distinctCharacters(value: string): number {
  const seen = new Uint8Array(128);
  let distinct = 0;
  let others: Set<number> | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) (others ??= new Set()).add(c);
    else if (seen[c] === 0) {
      seen[c] = 1;
      distinct++;
    }
  }
  return distinct + (others?.size ?? 0);
}
