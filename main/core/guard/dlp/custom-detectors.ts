// Turns the policy's custom rules into detectors. The pattern was proven linear when the policy
// was validated; its literal prefix, when it has one, becomes the trigger, otherwise its keywords
// do, and a rule with neither runs on every string (its length is capped for that reason). A
// pattern that starts with a repeated class matches only where a run of that class begins, as if
// it started with \b: [a-z]{1,8}@corp does not match the last eight letters of a longer name.
import type { Detector, MatchContext } from './detector.js';
import type { CustomRule } from './dlp-policy.js';
import { abaRoutingValid } from './validators/aba.js';
import { looksRandom } from './validators/entropy.js';
import { mod97 } from './validators/iban.js';
import { luhnValid } from './validators/luhn.js';
import { isPlaceholder } from './validators/placeholder.js';
import { verhoeffValid } from './validators/verhoeff.js';
import { analyzePattern } from './pattern-safety.js';

const digits = (value: string): string => value.replace(/\D/g, '');

const VALIDATORS: Record<NonNullable<CustomRule['validator']>, (value: string, context: MatchContext) => boolean> = {
  luhn: (value) => luhnValid(digits(value)),
  mod97: (value) => {
    const compact = value.replace(/[\s-]/g, '').toUpperCase();
    return compact.length > 4 && mod97(compact.slice(4) + compact.slice(0, 4)) === 1;
  },
  verhoeff: (value) => verhoeffValid(digits(value)),
  aba: (value) => abaRoutingValid(digits(value)),
  entropy: (value) => !isPlaceholder(value) && looksRandom(value, { minEntropy: 3.5, minClasses: 2 }),
};

export function customDetector(rule: CustomRule): Detector {
  const { maxLength, prefix, leadingRun } = analyzePattern(rule.pattern, rule.ignoreCase);
  const keywords = rule.keywords?.map((k) => k.toLowerCase());
  const triggerable = prefix.length >= 3;
  return {
    id: rule.id,
    title: rule.title ?? `Custom rule ${rule.id}`,
    category: 'custom',
    defaultAction: rule.action,
    confidence: 'medium',
    pattern: new RegExp(leadingRun === undefined ? rule.pattern : `(?<!${leadingRun})(?:${rule.pattern})`, rule.ignoreCase ? 'gi' : 'g'),
    maxLength,
    triggers: triggerable ? [{ source: prefix.replace(/[\\[\]{}?.]/g, '\\$&'), ignoreCase: rule.ignoreCase }] : [],
    ...(keywords !== undefined && keywords.length > 0
      ? { context: { words: keywords, window: rule.keywordWindow, property: new RegExp(keywords.map(escapeRegExp).join('|'), 'i') } }
      : {}),
    ...(rule.validator !== undefined ? { validate: VALIDATORS[rule.validator] } : {}),
    ...(!triggerable && (keywords === undefined || keywords.length === 0) ? { scanWholeText: true } : {}),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
