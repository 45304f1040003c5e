// Which resources (RFC 8707) the demo IdP issues audience-bound JWT access tokens for.
import { errors } from 'oidc-provider';

export const RESOURCE_SCOPE = 'mcp';

export interface ResourcePolicy {
  /** Every resource a client may name; a token for anything else is refused with invalid_target. */
  readonly allowed: readonly string[];
  readonly accessTokenTtlSeconds: number;
}

export function resourceServerInfo(policy: ResourcePolicy, resource: string): Record<string, unknown> {
  if (!policy.allowed.includes(resource)) throw new errors.InvalidTarget(`the demo IdP does not issue tokens for ${resource}`);
  return { audience: resource, scope: RESOURCE_SCOPE, accessTokenFormat: 'jwt', accessTokenTTL: policy.accessTokenTtlSeconds };
}
