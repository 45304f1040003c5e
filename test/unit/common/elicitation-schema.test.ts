import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkField, initialInput, MAX_FIELDS, parseRequestedSchema, readForm, validateContent, type FormField } from '../../../common/elicitation-schema.js';

const form = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required });

function fields(properties: Record<string, unknown>, required: string[] = []): FormField[] {
  const parsed = parseRequestedSchema(form(properties, required));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.fields;
}

const one = (property: Record<string, unknown>, required = false): FormField => fields({ f: property }, required ? ['f'] : [])[0]!;

describe('reading a requested schema', () => {
  test('reads every field type of the restricted schema, with titles, descriptions, constraints and defaults', () => {
    const read = fields(
      {
        name: { type: 'string', title: 'Name', description: 'Full name', minLength: 2, maxLength: 5, pattern: '^[a-z]+$', default: 'ada' },
        mail: { type: 'string', format: 'email' },
        n: { type: 'integer', minimum: 1, maximum: 9, default: 3 },
        x: { type: 'number', default: 0.5 },
        yes: { type: 'boolean', default: true },
        plain: { type: 'string', enum: ['a', 'b'], default: 'b' },
        legacy: { type: 'string', enum: ['a', 'b'], enumNames: ['Alpha', 'Beta'] },
        titled: { type: 'string', oneOf: [{ const: 's', title: 'Small' }], default: 's' },
        many: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['p', 'q'] }, default: ['q'] },
        manyTitled: { type: 'array', items: { anyOf: [{ const: 'p', title: 'Pea' }] } },
      },
      ['name', 'n'],
    );
    assert.deepEqual(
      read.map((f) => [f.name, f.kind, f.required]),
      [
        ['name', 'text', true],
        ['mail', 'text', false],
        ['n', 'number', true],
        ['x', 'number', false],
        ['yes', 'boolean', false],
        ['plain', 'choice', false],
        ['legacy', 'choice', false],
        ['titled', 'choice', false],
        ['many', 'multi', false],
        ['manyTitled', 'multi', false],
      ],
    );
    assert.deepEqual(read[0], { name: 'name', label: 'Name', description: 'Full name', required: true, kind: 'text', minLength: 2, maxLength: 5, pattern: '^[a-z]+$', format: undefined, default: 'ada' });
    assert.deepEqual(read.map(initialInput), ['ada', '', '3', '0.5', true, 'b', '', 's', ['q'], []]);
    assert.deepEqual((read[6] as Extract<FormField, { kind: 'choice' }>).options, [{ value: 'a', label: 'Alpha' }, { value: 'b', label: 'Beta' }]);
    assert.deepEqual((read[9] as Extract<FormField, { kind: 'multi' }>).options, [{ value: 'p', label: 'Pea' }]);
  });

  test('drops defaults that do not fit their field instead of prefilling them', () => {
    const read = fields({
      a: { type: 'string', enum: ['x'], default: 'y' },
      b: { type: 'integer', default: 1.5 },
      c: { type: 'boolean', default: 'yes' },
      d: { type: 'array', items: { type: 'string', enum: ['p'] }, default: ['p', 'z'] },
    });
    assert.deepEqual(read.map(initialInput), ['', '', false, ['p']]);
  });

  test('ignores keywords it does not need ($schema, additionalProperties)', () => {
    assert.ok(parseRequestedSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false, properties: { a: { type: 'string', examples: ['x'] } } }).ok);
  });

  for (const [why, schema] of [
    ['a nested object', form({ a: { type: 'object', properties: {} } })],
    ['an unknown format', form({ a: { type: 'string', format: 'ipv4' } })],
    ['an invalid pattern', form({ a: { type: 'string', pattern: '([a-z' } })],
    ['an array of free text', form({ a: { type: 'array', items: { type: 'string' } } })],
    ['an empty enum', form({ a: { type: 'string', enum: [] } })],
    ['a negative length', form({ a: { type: 'string', minLength: -1 } })],
    ['not an object at the top', { type: 'array', items: {} }],
    ['no properties', { type: 'object' }],
    [`more than ${MAX_FIELDS} fields`, form(Object.fromEntries(Array.from({ length: MAX_FIELDS + 1 }, (_, i) => [`f${i}`, { type: 'string' }])))],
  ] as const) {
    test(`refuses a form with ${why}`, () => {
      const parsed = parseRequestedSchema(schema);
      assert.equal(parsed.ok, false);
    });
  }
});

describe('checking a value against its field', () => {
  test('text: length in code points, formats, pattern', () => {
    const name = one({ type: 'string', minLength: 2, maxLength: 3 });
    assert.equal(checkField(name, 'a'), 'Use at least 2 characters.');
    assert.equal(checkField(name, 'abcd'), 'Use at most 3 characters.');
    assert.equal(checkField(name, '😀😀'), undefined);
    assert.equal(checkField(one({ type: 'string', format: 'email' }), 'a@b'), 'Enter an email address, like name@example.com.');
    assert.equal(checkField(one({ type: 'string', format: 'email' }), 'ada@example.com'), undefined);
    assert.match(checkField(one({ type: 'string', format: 'uri' }), 'example.com') ?? '', /full URI/);
    assert.equal(checkField(one({ type: 'string', format: 'uri' }), 'https://example.com/x?y'), undefined);
    assert.match(checkField(one({ type: 'string', format: 'date' }), '2026-02-30') ?? '', /YYYY-MM-DD/);
    assert.equal(checkField(one({ type: 'string', format: 'date' }), '2028-02-29'), undefined);
    assert.match(checkField(one({ type: 'string', format: 'date-time' }), '2026-12-24T09:30') ?? '', /YYYY-MM-DDThh:mm:ssZ/);
    assert.equal(checkField(one({ type: 'string', format: 'date-time' }), '2026-12-24T09:30:00+01:00'), undefined);
    assert.equal(checkField(one({ type: 'string', pattern: '^[A-Z]+-\\d+$' }), 'ops-1'), 'Does not match the expected pattern ^[A-Z]+-\\d+$.');
    assert.equal(checkField(one({ type: 'string', pattern: '^[A-Z]+-\\d+$' }), 'OPS-1'), undefined);
    assert.equal(checkField(one({ type: 'string', pattern: 'b' }), 'abc'), undefined, 'a pattern is not anchored unless it says so');
  });

  test('numbers: integers, minimum and maximum', () => {
    const n = one({ type: 'integer', minimum: 1, maximum: 10 });
    assert.equal(checkField(n, 1.5), 'Enter a whole number.');
    assert.equal(checkField(n, 0), 'Enter 1 or more.');
    assert.equal(checkField(n, 11), 'Enter 10 or less.');
    assert.equal(checkField(n, 10), undefined);
    assert.equal(checkField(n, '5'), 'Enter a whole number.');
    assert.equal(checkField(one({ type: 'number' }), Number.NaN), 'Enter a number.');
    assert.equal(checkField(one({ type: 'number', minimum: 0, maximum: 1 }), 0.25), undefined);
  });

  test('choices: one of the options; multiple: among the options, each once, within minItems/maxItems', () => {
    const choice = one({ type: 'string', oneOf: [{ const: 'a', title: 'A' }] });
    assert.equal(checkField(choice, 'A'), 'Choose one of the options.');
    assert.equal(checkField(choice, 'a'), undefined);
    const many = one({ type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['a', 'b', 'c'] } });
    assert.equal(checkField(many, []), 'Choose at least 1.');
    assert.equal(checkField(many, ['a', 'b', 'c']), 'Choose at most 2.');
    assert.equal(checkField(many, ['a', 'a']), 'Choose each option at most once.');
    assert.equal(checkField(many, ['a', 'z']), 'Choose among the options.');
    assert.equal(checkField(many, ['c', 'a']), undefined);
  });

  test('required fields must be there; optional ones may be left empty', () => {
    assert.equal(checkField(one({ type: 'string' }, true), undefined), 'This field is required.');
    assert.equal(checkField(one({ type: 'string' }), undefined), undefined);
    assert.equal(checkField(one({ type: 'boolean' }, true), 'true'), 'Choose yes or no.');
  });
});

describe('validating a whole answer', () => {
  const f = fields({ name: { type: 'string' }, n: { type: 'integer' }, ok: { type: 'boolean' } }, ['name']);

  test('accepts the typed values and keeps only what the form asked for', () => {
    assert.deepEqual(validateContent(f, { name: 'Ada', n: 3, ok: false }), { ok: true, content: { name: 'Ada', n: 3, ok: false } });
  });

  test('refuses fields the form does not have, wrong types and missing required fields', () => {
    const checked = validateContent(f, { n: '3', extra: 1 });
    assert.deepEqual(checked, { ok: false, errors: { extra: 'The form has no such field.', name: 'This field is required.', n: 'Enter a whole number.' } });
    assert.equal(validateContent(f, ['Ada']).ok, false);
    assert.deepEqual(validateContent(f, undefined), { ok: false, errors: { name: 'This field is required.' } });
  });

  test('a property named __proto__ never reaches an object\'s prototype: not read as a field, refused in an answer', () => {
    const parsed = parseRequestedSchema(JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"a":{"type":"string"}}}'));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.fields.map((f) => f.name), ['a']);
    const checked = validateContent(parsed.fields, JSON.parse('{"__proto__":"x","a":"y"}'));
    assert.ok(!checked.ok);
    assert.equal(Object.getPrototypeOf(checked.errors), Object.prototype);
    assert.deepEqual(Object.keys(checked.errors), ['__proto__']);
  });

  test("the UI's reading of its inputs turns text into numbers and leaves empty text out", () => {
    const all = fields({ name: { type: 'string' }, n: { type: 'integer' }, x: { type: 'number' }, ok: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string', enum: ['a'] } } });
    assert.deepEqual(readForm(all, ['', ' 7 ', '0.25', true, ['a']]), { ok: true, content: { n: 7, x: 0.25, ok: true, tags: ['a'] } });
    assert.deepEqual(readForm(all, ['', 'seven', '', false, []]), { ok: false, errors: { n: 'Enter a whole number.' } });
  });
});
