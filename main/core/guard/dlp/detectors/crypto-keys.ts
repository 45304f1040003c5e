// Private keys and signed tokens: PEM/OpenSSH/PGP private key blocks, PuTTY keys, age keys, JWTs.
import type { Detector } from '../detector.js';
import { bech32Variant } from '../validators/bech32.js';
import { hasLongRun, isPlaceholder } from '../validators/placeholder.js';
import { jwtValid } from '../validators/jwt.js';

/** A key block is real when its body has a substantial run of base64 (after headers and escaped newlines). */
function keyBlockValid(block: string): boolean {
  const body = block
    .replace(/-----(?:BEGIN|END)[^-]{0,60}-----/g, '')
    .replace(/\\[nr]/g, '\n')
    .split('\n')
    .filter((line) => !/^[A-Za-z-]{1,40}:/.test(line.trim()))
    .join('')
    .replace(/\s/g, '');
  const base64 = body.replace(/[^A-Za-z0-9+/=]/g, '');
  return base64.length >= 64 && base64.length >= body.length * 0.9 && !hasLongRun(base64, 12) && !isPlaceholder(base64.slice(0, 64));
}

export const CRYPTO_KEY_DETECTORS: readonly Detector[] = [
  {
    id: 'private-key',
    title: 'Private key',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    // RSA, EC, DSA, OpenSSH, encrypted PKCS#8 and PGP blocks, including ones pasted with escaped
    // newlines (\n inside a JSON string) and ones cut off before their END line.
    pattern:
      /-----BEGIN[ A-Z0-9]{0,24}PRIVATE KEY(?: BLOCK)?-----(?:[\sA-Za-z0-9+/=:,.\\]|-(?!-)){16,16384}(?:-----END[ A-Z0-9]{0,24}PRIVATE KEY(?: BLOCK)?-----)?/g,
    maxLength: 16_500,
    triggers: [{ source: '-----BEGIN ' }],
    validate: keyBlockValid,
  },
  {
    id: 'putty-private-key',
    title: 'PuTTY private key',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /PuTTY-User-Key-File-[23]: [a-z0-9-]{3,40}(?:[\sA-Za-z0-9+/=:,.@\\]|-(?!-)){16,8192}/g,
    maxLength: 8250,
    triggers: [{ source: 'PuTTY-User-Key-File-' }],
    validate: (block) => /Private-Lines: \d/.test(block) && !isPlaceholder(block.slice(block.indexOf('Private-Lines'))),
  },
  {
    id: 'age-secret-key',
    title: 'age secret key',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/g,
    maxLength: 74,
    triggers: [{ source: 'AGE-SECRET-KEY-1' }],
    validate: (value) => bech32Variant(value)?.hrp === 'age-secret-key-',
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2048}\.eyJ[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{16,1024}(?![A-Za-z0-9_-])/g,
    maxLength: 11_270,
    triggers: [{ source: 'eyJ' }],
    validate: jwtValid,
    supersedes: ['bearer-token', 'generic-api-key', 'generic-secret-field'],
  },
];
