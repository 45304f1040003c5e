// Roles come from one claim of the ID token, named by policy as a dot path (`groups`,
// `realm_access.roles`). A string is one role; an array of strings is the roles; anything else
// gives no roles, logged at debug so an admin can see why a user has none.
import type { Logger } from '../ports/logger.js';

export function rolesFromClaims(claims: Readonly<Record<string, unknown>>, path: string, logger: Logger): string[] {
  let value: unknown = claims;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment)) {
      logger.log('debug', 'identity: the role claim is absent from the ID token; no roles', { roleClaim: path });
      return [];
    }
    value = (value as Record<string, unknown>)[segment];
  }
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return [...new Set(value)];
  logger.log('debug', 'identity: the role claim is neither a string nor an array of strings; no roles', { roleClaim: path, type: Array.isArray(value) ? 'array' : typeof value });
  return [];
}
