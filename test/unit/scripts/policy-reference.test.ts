import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { policyJsonSchema } from '../../../main/core/policy/json-schema.js';
import {
  ADMIN_DOC, REFERENCE_END, REFERENCE_START, currentPolicyReference, renderPolicyReference, withReference,
} from '../../../scripts/policy-reference.js';

const render = (schema: z.ZodType) => renderPolicyReference(z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>);

test('docs/admin.md holds the policy reference of the current schema', () => {
  const doc = readFileSync(ADMIN_DOC, 'utf8');
  assert.ok(
    withReference(doc, currentPolicyReference()) === doc,
    'docs/admin.md is out of date with the policy schema: run `npm run docs:policy` and commit docs/admin.md',
  );
});

test('documents every top-level policy setting', () => {
  const reference = currentPolicyReference();
  const topLevel = reference.slice(reference.indexOf('### Top level'), reference.indexOf('\n### ', reference.indexOf('### Top level') + 1));
  for (const key of Object.keys(policyJsonSchema().properties ?? {})) assert.ok(topLevel.includes(`| \`${key}\` |`), `no row for ${key}`);
});

test('gives each nested object, list item, map value and union variant a section of its own', () => {
  const reference = currentPolicyReference();
  for (const heading of ['### `servers[]`', '### `servers[].auth` with `mode: "oauth"`', '### `servers[].timeouts`', '### `dlp.servers.<name>`', '### `identity`']) {
    assert.ok(reference.includes(`${heading}\n`), `missing ${heading}`);
  }
});

test('shows type, limits, default, required and the zod description of a setting', () => {
  const reference = render(
    z.strictObject({
      port: z.int().min(1).max(65_535).default(47_474).describe('Loopback port.'),
      name: z.string().min(1).max(80).describe('Shown to users.'),
      mode: z.enum(['a', 'b']).optional(),
    }),
  );
  assert.ok(reference.includes('| `port` | integer, 1 to 65535 | `47474` | Loopback port. |'), reference);
  assert.ok(reference.includes('| `name` | string, 1 to 80 characters | **required** | Shown to users. |'), reference);
  assert.ok(reference.includes('| `mode` | `"a"` or `"b"` |  |  |'), reference);
});

test('keeps table cells intact when a pattern holds a pipe or a backtick, and descriptions free of markup', () => {
  const reference = render(z.strictObject({ header: z.string().regex(/^[a|`]+$/).describe('Sent as <name>: value, like __this__.') }));
  const row = reference.split('\n').find((line) => line.startsWith('| `header`'))!;
  assert.ok(row.includes('``^[a\\|`]+$``'), row);
  assert.ok(row.includes('Sent as \\<name\\>: value, like \\_\\_this\\_\\_.'), row);
  // A GitHub table row splits on unescaped pipes only: four cells here.
  assert.equal(row.split(/(?<!\\)\|/).length - 2, 4, row);
});

test('replaces only the text between the markers, and says so when they are missing', () => {
  const doc = `# Admin\n\nintro\n\n${REFERENCE_START}\nold\n${REFERENCE_END}\n\nafter\n`;
  assert.equal(withReference(doc, 'new\n'), `# Admin\n\nintro\n\n${REFERENCE_START}\n\nnew\n\n${REFERENCE_END}\n\nafter\n`);
  assert.equal(withReference(withReference(doc, 'new\n'), 'new\n'), withReference(doc, 'new\n'));
  assert.throws(() => withReference('# Admin\n', 'new\n'), /must contain the markers/);
});
