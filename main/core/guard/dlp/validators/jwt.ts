// A JSON Web Token is three base64url parts; the first two decode to JSON objects and the header
// names its algorithm. Anything else that merely starts with eyJ (base64 of '{"') is not one.

function decodeJsonPart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export function jwtValid(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const header = decodeJsonPart(parts[0]!);
  const payload = decodeJsonPart(parts[1]!);
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return false;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const alg = (header as Record<string, unknown>)['alg'];
  return typeof alg === 'string' && alg.length > 0 && alg.length < 32;
}
