// Cloud provider credentials: AWS, Google Cloud, Azure.
import type { Detector } from '../detector.js';
import { looksRandom } from '../validators/entropy.js';
import { isPlaceholder } from '../validators/placeholder.js';

// The storage emulator's well-known development key (Azurite, the Azure docs): public, not a secret.
const PUBLISHED_KEYS = new Set(['Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==']);

const random = (minEntropy: number, minClasses = 3) => (value: string) => !isPlaceholder(value) && looksRandom(value, { minEntropy, minClasses });

export const CLOUD_DETECTORS: readonly Detector[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    // AKIA long-term keys, ASIA temporary (STS) keys, ABIA/ACCA service keys.
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    maxLength: 20,
    triggers: [{ source: 'AKIA' }, { source: 'ASIA' }, { source: 'ABIA' }, { source: 'ACCA' }],
    validate: (value) => !isPlaceholder(value),
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'medium',
    // 40 base64 characters with nothing else to recognise them by, so only next to "aws" / "secret access key".
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    maxLength: 40,
    triggers: [],
    context: { words: ['aws', 'secret_access_key', 'secretaccesskey', 'secret access key'], window: 64, property: /aws|secret_?access/i },
    validate: random(4.2),
  },
  {
    id: 'aws-session-token',
    title: 'AWS session token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    // STS tokens are base64 of a structure that starts the same way.
    pattern: /(?<![A-Za-z0-9/+])(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)[A-Za-z0-9/+]{100,2048}={0,2}(?![A-Za-z0-9/+=])/g,
    maxLength: 2080,
    triggers: [{ source: 'IQoJb3JpZ2luX2Vj' }, { source: 'FwoGZXIvYXdzE' }],
    validate: random(4.5),
  },
  {
    id: 'gcp-api-key',
    title: 'Google API key',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
    maxLength: 39,
    triggers: [{ source: 'AIza' }],
    validate: random(3.8),
  },
  {
    id: 'gcp-oauth-client-secret',
    title: 'Google OAuth client secret',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g,
    maxLength: 35,
    triggers: [{ source: 'GOCSPX-' }],
    validate: random(3.8),
  },
  {
    id: 'google-oauth-access-token',
    title: 'Google OAuth access token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_.-])ya29\.[0-9A-Za-z_-]{30,2048}(?![A-Za-z0-9_-])/g,
    maxLength: 2053,
    triggers: [{ source: 'ya29.' }],
    validate: random(4),
  },
  {
    id: 'google-oauth-refresh-token',
    title: 'Google OAuth refresh token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_/-])1\/\/0[0-9A-Za-z_-]{40,512}(?![A-Za-z0-9_-])/g,
    maxLength: 516,
    triggers: [{ source: '1//0' }],
    validate: random(4),
  },
  {
    id: 'azure-storage-account-key',
    title: 'Azure storage account key',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    // 64 random bytes in base64, as it appears in connection strings.
    pattern: /(?<![A-Za-z0-9])AccountKey=([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/dg,
    valueGroup: 1,
    maxLength: 99,
    triggers: [{ source: 'AccountKey=' }],
    validate: (value) => Buffer.from(value, 'base64').length === 64 && random(4.5)(value) && !PUBLISHED_KEYS.has(value),
  },
  {
    id: 'azure-sas-token',
    title: 'Azure shared access signature',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    // The sig parameter of a SAS URL: an HMAC-SHA256 (32 bytes), base64 and usually URL-encoded.
    pattern: /(?<![A-Za-z0-9])sig=((?:[A-Za-z0-9+/]|%2[BFbf]){42,43}(?:=|%3[Dd]))/dg,
    valueGroup: 1,
    maxLength: 140,
    triggers: [{ source: 'sig=' }],
    context: { words: ['sv=', 'se=', 'sp=', 'sharedaccesssignature'], window: 400 },
    validate: (value) => Buffer.from(decodeURIComponent(value), 'base64').length === 32 && !isPlaceholder(value),
  },
  {
    id: 'azure-client-secret',
    title: 'Microsoft Entra client secret',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    // Entra ID app secrets carry "Q~" after a three-character id and a version digit.
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    maxLength: 40,
    triggers: [{ source: '\\dQ~', before: 6 }],
    validate: random(4),
  },
];
