// Every policy object is strict: a misspelt key would otherwise be ignored, and a control the admin
// believes is on would silently be off. Shared by the policy schema and the fragments other parts of
// the core own (dlp, pinning), which cannot import the schema without a cycle.
import { z } from 'zod';

export const POLICY_VERSION = 1;
/** The message for keys no policy object accepts; shared with validate.ts, which reports one issue per key. */
export function unknownSettingMessage(keys: readonly string[]): string {
  const quoted = keys.map((key) => JSON.stringify(key)).join(', ');
  return keys.length === 1
    ? `${quoted} is not a Gatehouse policy setting; check its spelling or remove it`
    : `${quoted} are not Gatehouse policy settings; check their spelling or remove them`;
}

export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownSettingMessage(issue.keys) : undefined),
  });
}
