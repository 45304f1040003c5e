import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_SCHEMA_ID, policyJsonSchema } from '../../../../main/core/policy/json-schema.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const example = JSON.parse(readFileSync(join(root, 'resources', 'policies', 'example.json'), 'utf8')) as Record<string, unknown>;

interface ObjectSchema {
  type?: string;
  properties?: Record<string, ObjectSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: ObjectSchema;
  default?: unknown;
}

test('identifies itself as the Gatehouse policy v1 schema', () => {
  const schema = policyJsonSchema();
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.$id, POLICY_SCHEMA_ID);
  assert.equal(POLICY_SCHEMA_ID, 'https://gatehouse.dev/schema/policy-v1.json');
  assert.equal(schema.title, 'Gatehouse policy');
});

test('describes the policy object: version and servers required, unknown keys refused', () => {
  const schema = policyJsonSchema() as ObjectSchema;
  assert.equal(schema.type, 'object');
  assert.deepEqual(Object.keys(schema.properties ?? {}).sort(), ['$schema', 'approvals', 'audit', 'clients', 'desktop', 'dlp', 'elicitation', 'endpoint', 'identity', 'pinning', 'poisoning', 'rateLimits', 'roles', 'servers', 'version']);
  assert.deepEqual(schema.required?.sort(), ['servers', 'version']);
  assert.equal(schema.additionalProperties, false);
  assert.equal(schema.properties?.['servers']?.items?.additionalProperties, false);
});

test('marks defaulted settings optional and shows their defaults, as admins write them', () => {
  const server = (policyJsonSchema() as ObjectSchema).properties?.['servers']?.items;
  assert.deepEqual(server?.required?.sort(), ['auth', 'id', 'url']);
  assert.equal(server?.properties?.['transport']?.default, 'auto');
  const endpoint = (policyJsonSchema() as ObjectSchema).properties?.['endpoint'];
  assert.equal(endpoint?.properties?.['port']?.default, 47474);
});

test('covers every key the example policy uses', () => {
  const schema = policyJsonSchema() as ObjectSchema;
  for (const key of Object.keys(example)) assert.ok(schema.properties?.[key], `top-level ${key}`);
  const serverProperties = schema.properties?.['servers']?.items?.properties ?? {};
  for (const server of example['servers'] as Record<string, unknown>[]) {
    for (const key of Object.keys(server)) assert.ok(serverProperties[key], `server key ${key}`);
  }
});

test('is the same every time it is generated', () => {
  assert.equal(JSON.stringify(policyJsonSchema()), JSON.stringify(policyJsonSchema()));
});
