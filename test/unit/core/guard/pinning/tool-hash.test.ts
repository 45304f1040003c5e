import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { isGatehouseError } from '../../../../../common/errors.js';
import { canonicalJson, hashTool, toolSnapshot, type ToolDefinition } from '../../../../../main/core/guard/pinning/tool-hash.js';

const tool: ToolDefinition = {
  name: 'search_issues',
  title: 'Search issues',
  description: 'Search issues in a repository.',
  inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'Search text' }, limit: { type: 'integer', minimum: 1 } }, required: ['query'] },
  outputSchema: { type: 'object', properties: { total: { type: 'integer' } } },
  annotations: { readOnlyHint: true, openWorldHint: true },
};

/** The same object with every key order reversed, at every level. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]));
}

describe('canonical JSON', () => {
  test('sorts keys at every level, keeps array order, writes no whitespace', () => {
    assert.equal(canonicalJson({ b: [3, 1, { z: 1, a: 2 }], a: 'x y' }), '{"a":"x y","b":[3,1,{"a":2,"z":1}]}');
  });

  test('writes numbers and strings the way RFC 8785 does', () => {
    assert.equal(canonicalJson({ n: 1.0, e: 1e21, s: 'é\u2028"' }), '{"e":1e+21,"n":1,"s":"é\u2028\\""}');
  });

  test('orders keys by UTF-16 code units, as RFC 8785 requires', () => {
    assert.equal(canonicalJson({ '\u{1F600}': 1, '\uFB33': 2, a: 3 }), '{"a":3,"\u{1F600}":1,"\uFB33":2}');
  });

  test('refuses values JSON cannot hold and definitions nested absurdly deep', () => {
    assert.throws(() => canonicalJson({ n: Number.NaN }), (e) => isGatehouseError(e) && e.code === 'GATEHOUSE_UPSTREAM_ERROR');
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    assert.throws(() => canonicalJson(deep), /nested deeper than 64 levels/);
  });
});

describe('tool hash', () => {
  test('is the SHA-256 hex of the canonical JSON of the definition without _meta', () => {
    const expected = createHash('sha256').update(canonicalJson(toolSnapshot(tool))).digest('hex');
    assert.equal(hashTool(tool), expected);
    assert.match(hashTool(tool), /^[0-9a-f]{64}$/);
  });

  test('does not depend on key order', () => {
    assert.equal(hashTool(reversed(tool) as ToolDefinition), hashTool(tool));
  });

  test('ignores _meta, which servers use for per-listing values', () => {
    assert.equal(hashTool({ ...tool, _meta: { 'vendor/listedAt': '2026-01-01T00:00:00Z' } }), hashTool(tool));
  });

  const changes: Record<string, ToolDefinition> = {
    'the description': { ...tool, description: 'Search issues in a repository. ' },
    'the title': { ...tool, title: 'Search' },
    'a parameter description': { ...tool, inputSchema: { ...(tool['inputSchema'] as object), properties: { query: { type: 'string', description: 'Search text!' }, limit: { type: 'integer', minimum: 1 } } } },
    'an added parameter': { ...tool, inputSchema: { ...(tool['inputSchema'] as object), properties: { query: { type: 'string', description: 'Search text' }, limit: { type: 'integer', minimum: 1 }, sidenote: { type: 'string' } } } },
    'the required list': { ...tool, inputSchema: { ...(tool['inputSchema'] as object), required: ['query', 'limit'] } },
    'the order of an enum': { ...tool, inputSchema: { type: 'object', properties: { o: { enum: ['b', 'a'] } } } },
    'the output schema': { ...tool, outputSchema: { type: 'object', properties: { total: { type: 'number' } } } },
    'an annotation': { ...tool, annotations: { readOnlyHint: false, openWorldHint: true } },
    'an added annotation': { ...tool, annotations: { readOnlyHint: true, openWorldHint: true, destructiveHint: true } },
    'an unknown vendor field': { ...tool, 'x-vendor-prompt': 'be nice' },
    'icons': { ...tool, icons: [{ src: 'https://example.com/i.png' }] },
    'a removed description': { name: tool.name, title: tool['title'], inputSchema: tool['inputSchema'], outputSchema: tool['outputSchema'], annotations: tool['annotations'] },
    'an invisible character': { ...tool, description: 'Search issues in a\u200B repository.' },
  };
  for (const [what, changed] of Object.entries(changes)) {
    test(`changes when ${what} changes`, () => {
      assert.notEqual(hashTool(changed), hashTool(tool));
    });
  }
});
