// The demo IdP's signing key: one RSA key made at start, kept for the IdP's lifetime (also across
// takeOffline/bringOnline), published on its JWKS endpoint.
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256';
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The private JWK, for oidc-provider's `jwks` configuration. */
  readonly privateJwk: Record<string, unknown>;
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  return { kid, alg: 'RS256', privateKey, publicKey, privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}
