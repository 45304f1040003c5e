import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankJsoncExtras, parseJsonc } from '../../../../../main/core/clients/ide/jsonc.js';

test('parses line and block comments and trailing commas', () => {
  const text = `// header
{
  /* block
     over lines */ "a": 1, // after a
  "b": [1, 2, /* inline */ 3,],
  "c": { "d": true, },
}
`;
  assert.deepEqual(parseJsonc(text), { a: 1, b: [1, 2, 3], c: { d: true } });
});

test('leaves comment markers and commas inside strings alone', () => {
  const text = '{ "url": "http://x//y", "glob": "/* not a comment */", "q": "say \\"hi,\\" // ok", "t": ",}" }';
  assert.deepEqual(parseJsonc(text), { url: 'http://x//y', glob: '/* not a comment */', q: 'say "hi," // ok', t: ',}' });
});

test('keeps every character at its offset so parse errors point into the original text', () => {
  const text = '{ /* c */ "a": 1, // x\n "b": 2, }';
  const blanked = blankJsoncExtras(text);
  assert.equal(blanked.length, text.length);
  assert.equal(blanked.split('\n').length, 2);
  assert.equal(blanked.indexOf('"b"'), text.indexOf('"b"'));
});

test('still rejects what is not JSONC: an unterminated comment, a missing comma', () => {
  assert.throws(() => parseJsonc('{ "a": 1 /* never closed }'), SyntaxError);
  assert.throws(() => parseJsonc('{ "a": 1 "b": 2 }'), SyntaxError);
  assert.throws(() => parseJsonc('{ "a": , }'), SyntaxError);
});
