// Measures of randomness for values without a checksum: generated keys use many distinct
// characters of several kinds; words, paths, hashes of one alphabet and placeholders do not.

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const ascii = new Int32Array(128);
  let others: Map<number, number> | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) ascii[c]!++;
    else (others ??= new Map()).set(c, (others.get(c) ?? 0) + 1);
  }
  let bits = 0;
  const add = (count: number): void => {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  };
  for (let c = 0; c < 128; c++) if (ascii[c]! > 0) add(ascii[c]!);
  others?.forEach(add);
  return bits;
}

/** How many of lowercase, uppercase, digits and other characters occur. */
export function characterClasses(text: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

export interface RandomnessThresholds {
  /** Bits per character. Random base62 of length 20+ measures about 4.2 or more; English words about 3. */
  minEntropy: number;
  /** Kinds of characters (lower, upper, digit, other) that must occur. */
  minClasses: number;
}

/**
 * True when `text` looks machine-generated. A short string cannot show its alphabet's full
 * entropy (20 random characters measure about 3.9 bits), so the bar drops below log2(length) - 0.9.
 */
export function looksRandom(text: string, thresholds: RandomnessThresholds): boolean {
  const bar = Math.min(thresholds.minEntropy, Math.log2(Math.max(text.length, 2)) - 0.9);
  return characterClasses(text) >= thresholds.minClasses && shannonEntropy(text) >= bar;
}
