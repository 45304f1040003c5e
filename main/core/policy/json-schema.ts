// Admins edit policies in editors that understand JSON Schema, so they get completion and most
// errors before MDM ships the file. Generated from the zod schema so the two cannot drift; rules zod
// cannot express in JSON Schema (loopback-only http, unique ids, client references) are checked by
// `gatehouse policy validate`.
import { z } from 'zod';
import { PolicySchema } from './schema.js';

export const POLICY_SCHEMA_ID = 'https://gatehouse.dev/schema/policy-v1.json';

export function policyJsonSchema(): z.core.JSONSchema.BaseSchema {
  // The input side: fields with defaults are optional to write, which is what an admin needs to know.
  const { $schema, ...generated } = z.toJSONSchema(PolicySchema, { io: 'input', target: 'draft-2020-12' });
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    $id: POLICY_SCHEMA_ID,
    title: 'Gatehouse policy',
    description: 'Which remote MCP servers Gatehouse lets agents on this device reach, and how. Deliver with MDM.',
    ...generated,
  };
}
