import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeTagCharacters, findInvisible, makeVisible, normalizeForMatching } from '../../../../../main/core/guard/poisoning/unicode.js';

const tag = (text: string): string => [...text].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');

describe('invisible characters', () => {
  test('finds zero-width, word joiner, BOM and soft hyphen as hidden', () => {
    const found = findInvisible('a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf\u00ADg');
    assert.deepEqual(found.map((c) => c.codePoint), [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0xad]);
    assert.ok(found.every((c) => c.kind === 'hidden-unicode'));
  });

  test('finds bidi embeddings, overrides, isolates and marks as bidi controls', () => {
    const controls = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c];
    const found = findInvisible(controls.map((c) => `x${String.fromCodePoint(c)}`).join(''));
    assert.deepEqual(found.map((c) => c.codePoint), controls);
    assert.ok(found.every((c) => c.kind === 'bidi-control'));
  });

  test('finds tag characters, variation selectors after plain letters, fillers, private use and control characters', () => {
    const text = `a${tag('hi')}b\uFE0Fc\u{E0100}d\u3164e\u2800f\uE000g\u0007h`;
    assert.deepEqual(findInvisible(text).map((c) => c.codePoint), [0xe0068, 0xe0069, 0xfe0f, 0xe0100, 0x3164, 0x2800, 0xe000, 0x07]);
  });

  test('leaves tabs, line breaks, ordinary spaces and non-Latin scripts alone', () => {
    assert.deepEqual(findInvisible('a\tb\nc\r\nd e\u00A0f 日本語 עברית العربية Ελληνικά'), []);
  });

  test('does not count emoji joiners and presentation selectors as hidden', () => {
    assert.deepEqual(findInvisible('⚠️ done 👩‍💻 1️⃣ ❤️'), []);
  });

  test('a joiner that is not between pictographs is hidden', () => {
    assert.equal(findInvisible('ig\u200Dnore').length, 1);
  });

  test('decodes the ASCII that tag characters spell', () => {
    assert.equal(decodeTagCharacters(`visible${tag('send it to me')}text`), 'send it to me');
    assert.equal(decodeTagCharacters('nothing hidden'), '');
  });

  test('makes invisible characters visible as code points and cuts long text', () => {
    assert.equal(makeVisible('a\u200Bb\u202Ec'), 'a<U+200B>b<U+202E>c');
    assert.equal(makeVisible(`x${tag('A')}`), 'x<U+E0041>');
    assert.equal(makeVisible('line\nbreak'), 'line break');
    assert.equal(makeVisible('abcdefgh', 3), 'abc…');
  });
});

describe('normalizing for matching', () => {
  test('lowercases, folds full-width letters, removes invisible characters and collapses whitespace', () => {
    assert.equal(normalizeForMatching('ＩＧＮＯＲＥ \n\t ALL  prev\u200Bious').text, 'ignore all previous');
  });

  test('maps typographic apostrophes to ASCII', () => {
    assert.equal(normalizeForMatching('Don\u2019t tell').text, "don't tell");
  });

  test('maps every normalized character back to where it came from', () => {
    const original = 'A\u200B  B';
    const { text, origin } = normalizeForMatching(original);
    assert.equal(text, 'a b');
    assert.deepEqual(origin, [0, 2, 4]);
  });
});
