// Reading a server's WWW-Authenticate challenge and doing arithmetic on OAuth scope strings. The
// SDK parses the header (Bearer and DPoP schemes); the scope rules are the MCP spec's step-up ones.
import { computeScopeUnion, extractWWWAuthenticateParams } from '@modelcontextprotocol/client';

export interface Challenge {
  error?: string;
  scope?: string;
  /** Untrusted: passes the URL guard before use. */
  resourceMetadataUrl?: URL;
}

export function parseChallenge(header: string | undefined): Challenge {
  if (!header) return {};
  let headers: Headers;
  try {
    headers = new Headers({ 'www-authenticate': header });
  } catch {
    return {}; // not a valid header value at all
  }
  const { error, scope, resourceMetadataUrl } = extractWWWAuthenticateParams(new Response(null, { headers }));
  return { error, scope, resourceMetadataUrl };
}

/** The union of space-separated scope strings, first-seen order; undefined when empty. */
export function unionScopes(...scopes: ReadonlyArray<string | undefined>): string | undefined {
  return computeScopeUnion(...scopes);
}

/** An order-independent name for a scope set: step-up is attempted once per distinct set. */
export function scopeKey(scope: string | undefined): string {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))].sort().join(' ');
}

/** Whether every scope in `needed` is in `held`. */
export function coversScopes(held: string | undefined, needed: string | undefined): boolean {
  const have = new Set((held ?? '').split(' ').filter(Boolean));
  return (needed ?? '').split(' ').filter(Boolean).every((scope) => have.has(scope));
}
