// Turns zod's issues into what an admin can act on: a JSON path into their own file and a sentence
// saying what is wrong there. `gatehouse policy validate` and the loader both report through here.
import type { z } from 'zod';
import { PolicySchema, unknownSettingMessage, type Policy } from './schema.js';

export interface PolicyIssue {
  /** JSON path into the policy, `$` for the whole document: `$.servers[0].url`. */
  readonly path: string;
  readonly message: string;
}

export type PolicyValidationResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly errors: readonly PolicyIssue[] };

export function validatePolicy(input: unknown): PolicyValidationResult {
  const result = PolicySchema.safeParse(input, { error: plainMessage });
  if (result.success) return { ok: true, policy: result.data };
  return { ok: false, errors: result.error.issues.flatMap(toPolicyIssues) };
}

/** Parses policy JSON text, reporting syntax errors with line and column in `sourceLabel`. */
export function parsePolicyText(text: string, sourceLabel: string): PolicyValidationResult {
  // Editors on Windows often save a byte order mark, which JSON.parse rejects.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (json.trim() === '') {
    return { ok: false, errors: [{ path: '$', message: `${sourceLabel} is empty; it must hold a JSON policy object` }] };
  }
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch (error) {
    return { ok: false, errors: [{ path: '$', message: `${sourceLabel} is not valid JSON: ${describeSyntaxError(error, json)}` }] };
  }
  return validatePolicy(input);
}

export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

function toPolicyIssues(issue: z.core.$ZodIssue): PolicyIssue[] {
  if (issue.code === 'unrecognized_keys') {
    // zod reports all unknown keys of an object at once; one line per key points at each of them.
    return issue.keys.map((key) => ({
      path: jsonPath([...issue.path, key]),
      message: unknownSettingMessage([key]),
    }));
  }
  return [{ path: jsonPath(issue.path), message: issue.message }];
}

// Used only where the schema has no message of its own: zod's defaults ("Invalid input: expected
// string, received undefined") read as internals to someone editing a policy file.
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected} (got ${describeValue(issue.input)})`;
    case 'too_small':
      return `must ${sizeRule('at least', issue.origin, issue.minimum, issue.inclusive)}`;
    case 'too_big':
      return `must ${sizeRule('at most', issue.origin, issue.maximum, issue.inclusive)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return undefined;
  }
}

const EXPECTED: Partial<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

function sizeRule(bound: 'at least' | 'at most', origin: string, limit: number | bigint, inclusive: boolean | undefined): string {
  const strict = inclusive === false;
  switch (origin) {
    case 'string':
      if (bound === 'at least' && Number(limit) === 1) return 'not be empty';
      return `be ${bound} ${limit} characters long`;
    case 'array':
      return `have ${bound} ${limit} ${Number(limit) === 1 ? 'entry' : 'entries'}`;
    default:
      if (strict) return `be ${bound === 'at least' ? 'greater' : 'less'} than ${limit}`;
      return `be ${bound} ${limit}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function describeSyntaxError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const positioned = /^(.*?) in JSON at position (\d+)/s.exec(message);
  if (positioned) return `${positioned[1]} ${lineAndColumn(text, Number(positioned[2]))}`;
  if (message.startsWith('Unexpected end of JSON input')) return `unexpected end of input ${lineAndColumn(text, text.length)}`;
  // V8 echoes the whole input after this message; the token is what the admin needs.
  const token = /^(Unexpected token .+?), ".*" is not valid JSON$/s.exec(message);
  return token?.[1] ?? message;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `at line ${line}, column ${column}`;
}
