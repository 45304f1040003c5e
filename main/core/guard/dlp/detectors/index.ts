// Every built-in detector, in the order findings are reported.
import type { Detector } from '../detector.js';
import { CLOUD_DETECTORS } from './cloud.js';
import { CREDENTIAL_DETECTORS } from './credentials.js';
import { CRYPTO_KEY_DETECTORS } from './crypto-keys.js';
import { FINANCIAL_DETECTORS } from './financial.js';
import { NETWORK_DETECTORS } from './network.js';
import { PII_DETECTORS } from './pii.js';
import { SAAS_DETECTORS } from './saas.js';
import { VCS_DETECTORS } from './vcs.js';

export const BUILTIN_DETECTORS: readonly Detector[] = [
  ...CLOUD_DETECTORS,
  ...VCS_DETECTORS,
  ...SAAS_DETECTORS,
  ...CRYPTO_KEY_DETECTORS,
  ...CREDENTIAL_DETECTORS,
  ...PII_DETECTORS,
  ...FINANCIAL_DETECTORS,
  ...NETWORK_DETECTORS,
];

export const BUILTIN_DETECTOR_IDS: readonly string[] = BUILTIN_DETECTORS.map((d) => d.id);
