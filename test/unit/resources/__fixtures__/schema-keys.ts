// Which keys of a value its JSON Schema does not define, found by walking the two together. An
// independent check next to zod's strict objects: a template key must be a real policy setting.

type JsonSchema = Readonly<Record<string, unknown>>;

/** JSON paths of the object keys in `value` that `schema` has no place for. */
export function keysOutsideSchema(value: unknown, schema: JsonSchema, root: JsonSchema = schema, path = '$'): string[] {
  const resolved = resolve(schema, root);
  const variants = [...asSchemas(resolved['oneOf']), ...asSchemas(resolved['anyOf'])];
  if (variants.length > 0) {
    const matching = variants.filter((variant) => constsMatch(value, resolve(variant, root)));
    const candidates = matching.length > 0 ? matching : variants;
    // The key is fine if some candidate variant accepts it; report what the closest one rejects.
    const results = candidates.map((variant) => keysOutsideSchema(value, variant, root, path));
    return results.reduce((best, next) => (next.length < best.length ? next : best));
  }
  if (Array.isArray(value)) {
    const items = resolved['items'];
    return isSchema(items) ? value.flatMap((item, index) => keysOutsideSchema(item, items, root, `${path}[${index}]`)) : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  const properties = isSchema(resolved['properties']) ? resolved['properties'] : {};
  const additional = resolved['additionalProperties'];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = `${path}.${key}`;
    const declared = properties[key];
    if (isSchema(declared)) return keysOutsideSchema(child, declared, root, childPath);
    if (isSchema(additional)) return keysOutsideSchema(child, additional, root, childPath);
    return additional === true ? [] : [childPath];
  });
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, not ${ref}`);
  let target: unknown = root;
  for (const segment of ref.slice(2).split('/')) target = (target as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (!isSchema(target)) throw new Error(`$ref ${ref} does not point at a schema`);
  return resolve(target, root);
}

// A discriminated union (auth modes) is told apart by its const properties, like zod does.
function constsMatch(value: unknown, variant: JsonSchema): boolean {
  if (typeof value !== 'object' || value === null || !isSchema(variant['properties'])) return false;
  const consts = Object.entries(variant['properties']).filter(([, property]) => isSchema(property) && 'const' in property);
  return consts.length > 0 && consts.every(([key, property]) => (value as Record<string, unknown>)[key] === (property as JsonSchema)['const']);
}

function asSchemas(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? value.filter(isSchema) : [];
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
