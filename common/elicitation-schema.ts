// The restricted JSON Schema of MCP form elicitation, read once into form fields that the UI draws
// and that both the UI and the host validate answers against, so what reaches the server is what
// the server asked for: a flat object of string (length, pattern, format email/uri/date/date-time),
// number/integer (minimum, maximum), boolean, single choice (enum, enumNames, titled oneOf) and
// multiple choice (array of enum or titled anyOf, minItems, maxItems) fields, with defaults.
// Anything else (nested objects, unknown formats, refs) is refused rather than guessed at.
import { z } from 'zod';

export type TextFormat = 'email' | 'uri' | 'date' | 'date-time';
export interface ChoiceOption {
  value: string;
  label: string;
}

interface FieldBase {
  /** The property name, as the server will receive it. */
  name: string;
  /** What the user reads: the schema's title, else the property name. */
  label: string;
  description?: string | undefined;
  required: boolean;
}

export type FormField =
  | (FieldBase & { kind: 'text'; minLength?: number | undefined; maxLength?: number | undefined; pattern?: string | undefined; format?: TextFormat | undefined; default?: string | undefined })
  | (FieldBase & { kind: 'number'; integer: boolean; minimum?: number | undefined; maximum?: number | undefined; default?: number | undefined })
  | (FieldBase & { kind: 'boolean'; default?: boolean | undefined })
  | (FieldBase & { kind: 'choice'; options: ChoiceOption[]; default?: string | undefined })
  | (FieldBase & { kind: 'multi'; options: ChoiceOption[]; minItems?: number | undefined; maxItems?: number | undefined; default?: string[] | undefined });

export type FieldValue = string | number | boolean | string[];
export type FormContent = Record<string, FieldValue>;

/** Tests a `pattern` against a value; the host passes one with a time limit (patterns come from servers). */
export type PatternMatcher = (pattern: string, value: string) => boolean;

export const MAX_FIELDS = 50;
export const MAX_OPTIONS = 200;
export const MAX_PATTERN_LENGTH = 500;
/** No answer string is longer than this, whatever the schema says. */
export const MAX_TEXT_LENGTH = 20_000;

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const base = { title: z.string().max(500).optional(), description: z.string().max(5_000).optional() };
const titled = z.object({ const: z.string().max(1_000), title: z.string().max(500) });

const textSchema = z.object({
  type: z.literal('string'),
  ...base,
  minLength: count.optional(),
  maxLength: count.optional(),
  pattern: z.string().max(MAX_PATTERN_LENGTH).optional(),
  format: z.enum(['email', 'uri', 'date', 'date-time']).optional(),
  default: z.unknown().optional(),
});
const enumSchema = z.object({
  type: z.literal('string'),
  ...base,
  enum: z.array(z.string().max(1_000)).min(1).max(MAX_OPTIONS),
  enumNames: z.array(z.string().max(500)).optional(),
  default: z.unknown().optional(),
});
const oneOfSchema = z.object({ type: z.literal('string'), ...base, oneOf: z.array(titled).min(1).max(MAX_OPTIONS), default: z.unknown().optional() });
const numberSchema = z.object({ type: z.enum(['number', 'integer']), ...base, minimum: z.number().optional(), maximum: z.number().optional(), default: z.unknown().optional() });
const booleanSchema = z.object({ type: z.literal('boolean'), ...base, default: z.unknown().optional() });
const multiSchema = z.object({
  type: z.literal('array'),
  ...base,
  minItems: count.optional(),
  maxItems: count.optional(),
  items: z.union([
    z.object({ type: z.literal('string'), enum: z.array(z.string().max(1_000)).min(1).max(MAX_OPTIONS) }),
    z.object({ anyOf: z.array(titled).min(1).max(MAX_OPTIONS) }),
  ]),
  default: z.unknown().optional(),
});
const objectSchema = z.object({
  type: z.literal('object'),
  properties: z.record(z.string().min(1).max(200), z.record(z.string(), z.unknown())),
  required: z.array(z.string()).optional(),
});

export type ParsedForm = { ok: true; fields: FormField[] } | { ok: false; error: string };

/** Reads a server's requestedSchema; refuses what the restricted schema does not allow. */
export function parseRequestedSchema(schema: unknown): ParsedForm {
  const object = objectSchema.safeParse(schema);
  if (!object.success) return { ok: false, error: 'the form is not a flat object schema with properties' };
  const entries = Object.entries(object.data.properties);
  if (entries.length > MAX_FIELDS) return { ok: false, error: `the form has more than ${MAX_FIELDS} fields` };
  const required = new Set(object.data.required ?? []);
  const fields: FormField[] = [];
  for (const [name, property] of entries) {
    const field = parseField(name, property, required.has(name));
    if (typeof field === 'string') return { ok: false, error: `field '${name}': ${field}` };
    fields.push(field);
  }
  return { ok: true, fields };
}

function parseField(name: string, property: Record<string, unknown>, required: boolean): FormField | string {
  const common = (p: { title?: string | undefined; description?: string | undefined }) => ({ name, label: p.title ?? name, description: p.description, required });
  const refused = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'schema'}: ${i.message}`).join('; ');
  switch (property['type']) {
    case 'string': {
      if ('enum' in property) {
        const p = enumSchema.safeParse(property);
        if (!p.success) return refused(p.error);
        const options = p.data.enum.map((value, i) => ({ value, label: p.data.enumNames?.[i] ?? value }));
        return { ...common(p.data), kind: 'choice', options, default: pick(options, p.data.default) };
      }
      if ('oneOf' in property) {
        const p = oneOfSchema.safeParse(property);
        if (!p.success) return refused(p.error);
        const options = p.data.oneOf.map((o) => ({ value: o.const, label: o.title }));
        return { ...common(p.data), kind: 'choice', options, default: pick(options, p.data.default) };
      }
      const p = textSchema.safeParse(property);
      if (!p.success) return refused(p.error);
      if (p.data.pattern !== undefined && compilePattern(p.data.pattern) === undefined) return 'pattern: not a valid regular expression';
      const { minLength, maxLength, pattern, format } = p.data;
      return { ...common(p.data), kind: 'text', minLength, maxLength, pattern, format, default: typeof p.data.default === 'string' ? p.data.default : undefined };
    }
    case 'number':
    case 'integer': {
      const p = numberSchema.safeParse(property);
      if (!p.success) return refused(p.error);
      const integer = p.data.type === 'integer';
      const d = p.data.default;
      const fine = typeof d === 'number' && Number.isFinite(d) && (!integer || Number.isInteger(d));
      return { ...common(p.data), kind: 'number', integer, minimum: p.data.minimum, maximum: p.data.maximum, default: fine ? d : undefined };
    }
    case 'boolean': {
      const p = booleanSchema.safeParse(property);
      if (!p.success) return refused(p.error);
      return { ...common(p.data), kind: 'boolean', default: typeof p.data.default === 'boolean' ? p.data.default : undefined };
    }
    case 'array': {
      const p = multiSchema.safeParse(property);
      if (!p.success) return refused(p.error);
      const items = p.data.items;
      const options = 'enum' in items ? items.enum.map((value) => ({ value, label: value })) : items.anyOf.map((o) => ({ value: o.const, label: o.title }));
      const chosen = Array.isArray(p.data.default) ? options.filter((o) => (p.data.default as unknown[]).includes(o.value)).map((o) => o.value) : undefined;
      return { ...common(p.data), kind: 'multi', options, minItems: p.data.minItems, maxItems: p.data.maxItems, default: chosen };
    }
    default:
      return `type ${JSON.stringify(property['type'])} is not one a form can ask for (string, number, integer, boolean, array of choices)`;
  }
}

function pick(options: ChoiceOption[], value: unknown): string | undefined {
  return options.some((o) => o.value === value) ? (value as string) : undefined;
}

/** A schema's `pattern` as a RegExp (Unicode mode when the pattern allows it), or undefined if invalid. */
export function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

/** The default matcher, for the UI; the host passes one with a time limit. */
export const matchPattern: PatternMatcher = (pattern, value) => compilePattern(pattern)?.test(value) ?? false;

const FORMATS: Record<TextFormat, { check: z.ZodType; message: string }> = {
  email: { check: z.email(), message: 'Enter an email address, like name@example.com.' },
  uri: { check: z.url(), message: 'Enter a full URI with its scheme, like https://example.com/page.' },
  date: { check: z.iso.date(), message: 'Enter a date as YYYY-MM-DD, like 2026-12-24.' },
  'date-time': { check: z.iso.datetime({ offset: true }), message: 'Enter a date and time as YYYY-MM-DDThh:mm:ssZ, or with an offset like 2026-12-24T09:30:00+01:00.' },
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Why `value` does not fit `field`, or undefined when it does. `undefined` means the field was left empty. */
export function checkField(field: FormField, value: FieldValue | undefined, matches: PatternMatcher = matchPattern): string | undefined {
  if (value === undefined) return field.required ? 'This field is required.' : undefined;
  switch (field.kind) {
    case 'text': {
      if (typeof value !== 'string') return 'Enter text.';
      const length = [...value].length;
      if (length > MAX_TEXT_LENGTH) return `Use at most ${plural(MAX_TEXT_LENGTH, 'character')}.`;
      if (field.minLength !== undefined && length < field.minLength) return `Use at least ${plural(field.minLength, 'character')}.`;
      if (field.maxLength !== undefined && length > field.maxLength) return `Use at most ${plural(field.maxLength, 'character')}.`;
      if (field.format !== undefined && !FORMATS[field.format].check.safeParse(value).success) return FORMATS[field.format].message;
      if (field.pattern !== undefined && !matches(field.pattern, value)) return `Does not match the expected pattern ${field.pattern}.`;
      return undefined;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return field.integer ? 'Enter a whole number.' : 'Enter a number.';
      if (field.integer && !Number.isInteger(value)) return 'Enter a whole number.';
      if (field.minimum !== undefined && value < field.minimum) return `Enter ${field.minimum} or more.`;
      if (field.maximum !== undefined && value > field.maximum) return `Enter ${field.maximum} or less.`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Choose yes or no.';
    case 'choice':
      return typeof value === 'string' && field.options.some((o) => o.value === value) ? undefined : 'Choose one of the options.';
    case 'multi': {
      if (!Array.isArray(value) || value.some((v) => !field.options.some((o) => o.value === v))) return 'Choose among the options.';
      if (new Set(value).size !== value.length) return 'Choose each option at most once.';
      if (field.minItems !== undefined && value.length < field.minItems) return `Choose at least ${field.minItems}.`;
      if (field.maxItems !== undefined && value.length > field.maxItems) return `Choose at most ${field.maxItems}.`;
      return undefined;
    }
  }
}

export type ContentCheck = { ok: true; content: FormContent } | { ok: false; errors: Record<string, string> };

/** Validates a whole answer: every field checked, nothing the form did not ask for. */
export function validateContent(fields: readonly FormField[], answer: unknown, matches: PatternMatcher = matchPattern): ContentCheck {
  const given = (answer ?? {}) as Record<string, unknown>;
  if (typeof given !== 'object' || Array.isArray(given)) return { ok: false, errors: { '': 'The answer is not an object.' } };
  const errors: Array<[string, string]> = [];
  const known = new Set(fields.map((f) => f.name));
  for (const key of Object.keys(given)) if (!known.has(key)) errors.push([key, 'The form has no such field.']);
  const content: Array<[string, FieldValue]> = [];
  for (const field of fields) {
    const value = Object.hasOwn(given, field.name) ? given[field.name] : undefined;
    const error = checkField(field, value as FieldValue | undefined, matches);
    if (error !== undefined) errors.push([field.name, error]);
    else if (value !== undefined) content.push([field.name, value as FieldValue]);
  }
  return result(content, errors);
}

/** What an input starts with: the default, else empty. */
export type FieldInput = string | boolean | string[];

export function initialInput(field: FormField): FieldInput {
  switch (field.kind) {
    case 'text':
    case 'choice':
      return field.default ?? '';
    case 'number':
      return field.default === undefined ? '' : String(field.default);
    case 'boolean':
      return field.default ?? false;
    case 'multi':
      return field.default ?? [];
  }
}

/** Turns what the user typed into the typed value the server gets; empty text is "left empty". */
export function valueOf(field: FormField, input: FieldInput): { value: FieldValue | undefined } | { error: string } {
  switch (field.kind) {
    case 'text':
    case 'choice':
      return { value: typeof input === 'string' && input !== '' ? input : undefined };
    case 'number': {
      const text = typeof input === 'string' ? input.trim() : '';
      if (text === '') return { value: undefined };
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { error: field.integer ? 'Enter a whole number.' : 'Enter a number.' };
    }
    case 'boolean':
      return { value: input === true };
    case 'multi':
      return { value: Array.isArray(input) ? input : [] };
  }
}

/** Converts every input (in field order) and checks every field: the UI's own validation before it sends. */
export function readForm(fields: readonly FormField[], inputs: readonly FieldInput[], matches: PatternMatcher = matchPattern): ContentCheck {
  const errors: Array<[string, string]> = [];
  const content: Array<[string, FieldValue]> = [];
  for (const [i, field] of fields.entries()) {
    const read = valueOf(field, inputs[i] ?? initialInput(field));
    const error = 'error' in read ? read.error : checkField(field, read.value, matches);
    if (error !== undefined) errors.push([field.name, error]);
    else if ('value' in read && read.value !== undefined) content.push([field.name, read.value]);
  }
  return result(content, errors);
}

// Property names come from servers: Object.fromEntries defines each as an own key, so even a field
// named `__proto__` stays a plain property and never changes an object's prototype.
function result(content: Array<[string, FieldValue]>, errors: Array<[string, string]>): ContentCheck {
  return errors.length > 0 ? { ok: false, errors: Object.fromEntries(errors) } : { ok: true, content: Object.fromEntries(content) };
}
