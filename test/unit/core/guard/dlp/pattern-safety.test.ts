// Custom patterns from policy are admitted by a conservative check of our own (recheck is a
// development tool); here recheck confirms that what the check admits, as the scanner runs it, is safe.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { customDetector } from '../../../../../main/core/guard/dlp/custom-detectors.js';
import { analyzePattern, patternProblem } from '../../../../../main/core/guard/dlp/pattern-safety.js';

const { checkSync } = createRequire(import.meta.url)('recheck') as { checkSync: (source: string, flags: string) => { status: string } };

const ADMITTED = [
  'ACME-[A-Z0-9]{32}',
  '\\bEMP\\d{6}\\b',
  '[a-z0-9._%+-]{1,64}@corp\\.example\\.com',
  'PROJ-\\d{3,6}',
  '\\d{3}-?\\d{4}',
  '(?:[A-Z]{2,4}-){1,3}[0-9]{2}',
  'EMP(?:-[0-9]{4}){1,3}',
  'AB(?:C|D)-\\d{4}',
  'cust_[a-f0-9]{24}',
  '(?<id>ORD)-[0-9]{8}',
];

test('admits bounded, deterministic patterns, and recheck proves them safe as the scanner runs them', { timeout: 120_000 }, () => {
  for (const source of ADMITTED) {
    assert.equal(patternProblem(source, false), undefined, source);
    // A leading run gets a boundary ([a-z]{1,64}@x runs as (?<![a-z])(?:...)); that is the pattern to prove.
    const { pattern } = customDetector({ id: 'x', pattern: source, ignoreCase: false, keywordWindow: 64, action: 'log' });
    assert.equal(checkSync(pattern.source, '').status, 'safe', `recheck on ${pattern.source}`);
  }
});

test('refuses patterns that could backtrack, with a message saying what to change', () => {
  const refused: [string, RegExp][] = [
    ['(a+)+b', /without a limit \('\+'\).*upper bound/],
    ['a*', /without a limit/],
    ['a{2,}', /\{2,64\}/],
    ['(?:ABC|ABD)-\\d{4}', /alternatives 'ABC' and 'ABD'.*factor out/],
    ['(a|a){1,10}', /same character/],
    ['\\d{1,16}\\d{1,16}x', /end where what follows it can begin/],
    ['.{1,100}secret', /end where what follows/],
    ['[A-Za-z0-9]{10,20}[0-9]', /disjoint/],
    ['x(?=y)', /lookaround/],
    ['(\\w)\\1', /backreference/],
    ['(?:a?){1,5}', /empty string/],
    ['x?', /empty string/],
    ['[', /not a valid regular expression/],
    ['\\w{300}', /up to 300 characters; the limit is 256/],
  ];
  for (const [source, message] of refused) assert.match(patternProblem(source, false) ?? 'admitted', message, source);
});

test('refuses every pattern recheck finds vulnerable', () => {
  for (const source of ['\\d{1,16}\\d{1,16}x', '.{1,100}secret', '(a+)+b', '(?:a|ab){1,30}c', '\\w{1,64}\\d{1,64}!']) {
    assert.equal(checkSync(source, '').status, 'vulnerable', source);
    assert.notEqual(patternProblem(source, false), undefined, source);
  }
});

test('reports the longest match and a literal prefix the scanner can trigger on', () => {
  assert.deepEqual(analyzePattern('\\bACME-[A-Z0-9]{32}\\b', false), { maxLength: 37, prefix: 'ACME-' });
  assert.deepEqual(analyzePattern('[A-Z]{2}\\d{6}', false), { maxLength: 8, prefix: '' });
  assert.equal(analyzePattern('acme_[0-9]{4}', true).prefix.toLowerCase(), 'acme_');
  assert.equal(analyzePattern('[a-z0-9.]{1,64}@corp', false).leadingRun, '[a-z0-9.]');
});

test('ignoreCase widens the characters compared, so case variants count as overlapping', () => {
  assert.equal(patternProblem('[a-z]{1,8}[A-Z]', false), undefined);
  assert.match(patternProblem('[a-z]{1,8}[A-Z]', true) ?? '', /disjoint/);
});
