// Every policy object is strict: a misspelt key would otherwise be ignored, and a control the admin
// believes is on would silently be off. Shared by the policy schema and the fragments other parts of
// the core own (dlp, pinning), which cannot import the schema without a cycle.
import { z } from 'zod';

export const POLICY_VERSION = 1;
/** Top-level keys planned for later releases: refused with a message saying so, not as typos. */
export const RESERVED_TOP_LEVEL_KEYS: readonly string[] = ['audit'];

/** The message for keys no policy object accepts; shared with validate.ts, which reports one issue per key. */
export function unknownSettingMessage(keys: readonly string[], atTopLevel: boolean): string {
  const quoted = keys.map((key) => JSON.stringify(key)).join(', ');
  const reserved = atTopLevel && keys.every((key) => RESERVED_TOP_LEVEL_KEYS.includes(key));
  if (reserved) {
    return `${quoted} ${keys.length === 1 ? 'is' : 'are'} not supported by this Gatehouse (policy version ${POLICY_VERSION}); remove ${keys.length === 1 ? 'it' : 'them'} or update Gatehouse`;
  }
  return keys.length === 1
    ? `${quoted} is not a Gatehouse policy setting; check its spelling or remove it`
    : `${quoted} are not Gatehouse policy settings; check their spelling or remove them`;
}

export function strictObject<Shape extends z.ZodRawShape>(shape: Shape, atTopLevel = false) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownSettingMessage(issue.keys, atTopLevel) : undefined),
  });
}
