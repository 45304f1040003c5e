// Source hosting and package registry tokens: GitHub, GitLab, Atlassian, npm, PyPI, Docker Hub, RubyGems.
import type { Detector } from '../detector.js';
import { looksRandom } from '../validators/entropy.js';
import { isPlaceholder } from '../validators/placeholder.js';
import { crc32Base62Valid } from '../validators/token-checksum.js';

const random = (minEntropy: number, minClasses = 2) => (value: string) => !isPlaceholder(value) && looksRandom(value, { minEntropy, minClasses });

function github(id: string, title: string, prefixes: readonly string[], pattern: RegExp): Detector {
  return {
    id,
    title,
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern,
    maxLength: 40,
    triggers: prefixes.map((source) => ({ source })),
    validate: (value) => crc32Base62Valid(value, 4),
  };
}

export const VCS_DETECTORS: readonly Detector[] = [
  github('github-classic-pat', 'GitHub personal access token (classic)', ['ghp_'], /(?<![A-Za-z0-9_])ghp_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g),
  github('github-oauth-token', 'GitHub OAuth access token', ['gho_'], /(?<![A-Za-z0-9_])gho_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g),
  github('github-app-token', 'GitHub App token', ['ghu_', 'ghs_'], /(?<![A-Za-z0-9_])gh[us]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g),
  {
    id: 'github-refresh-token',
    title: 'GitHub refresh token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_])ghr_[A-Za-z0-9]{36,76}(?![A-Za-z0-9_])/g,
    maxLength: 80,
    triggers: [{ source: 'ghr_' }],
    validate: (value) => (value.length === 40 ? crc32Base62Valid(value, 4) : random(4.5, 3)(value)),
  },
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g,
    maxLength: 93,
    triggers: [{ source: 'github_pat_' }],
    validate: (value) => random(4.5, 3)(value.slice(11)),
  },
  {
    id: 'gitlab-pat',
    title: 'GitLab personal access token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,64}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?(?![A-Za-z0-9_-])/g,
    maxLength: 83,
    triggers: [{ source: 'glpat-' }],
    validate: (value) => random(3.8)(value.slice(6)),
  },
  {
    id: 'gitlab-token',
    title: 'GitLab CI, runner or deploy token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_-])(?:(?:glptt|glrt|gldt|glft|glsoat|glcbt|glimt|glagent|glffct)-[A-Za-z0-9_-]{20,64}|GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/g,
    maxLength: 72,
    triggers: ['glptt-', 'glrt-', 'gldt-', 'glft-', 'glsoat-', 'glcbt-', 'glimt-', 'glagent-', 'glffct-', 'GR1348941'].map((source) => ({ source })),
    validate: (value) => random(3.8)(value.slice(value.indexOf('-') + 1 || 9)),
  },
  {
    id: 'atlassian-api-token',
    title: 'Atlassian API token or Bitbucket app password',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_-])(?:ATATT3[A-Za-z0-9_=-]{150,300}|ATBB[A-Za-z0-9]{32})(?![A-Za-z0-9_=-])/g,
    maxLength: 306,
    triggers: [{ source: 'ATATT3' }, { source: 'ATBB' }],
    validate: random(4.2, 3),
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    maxLength: 40,
    triggers: [{ source: 'npm_' }],
    validate: (value) => crc32Base62Valid(value, 4),
  },
  {
    id: 'pypi-token',
    title: 'PyPI API token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    // A macaroon whose first caveat names pypi.org or test.pypi.org.
    pattern: /(?<![A-Za-z0-9_-])pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}(?![A-Za-z0-9_-])/g,
    maxLength: 1030,
    triggers: [{ source: 'pypi-AgE' }],
    validate: (value) => random(4.5, 3)(value.slice(20)),
  },
  {
    id: 'docker-hub-token',
    title: 'Docker Hub access token',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_-])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g,
    maxLength: 49,
    triggers: [{ source: 'dckr_pat_' }, { source: 'dckr_oat_' }],
    validate: (value) => random(3.8)(value.slice(9)),
  },
  {
    id: 'rubygems-api-key',
    title: 'RubyGems API key',
    category: 'secret',
    defaultAction: 'block',
    confidence: 'high',
    pattern: /(?<![A-Za-z0-9_])rubygems_[0-9a-f]{48}(?![A-Za-z0-9_])/g,
    maxLength: 57,
    triggers: [{ source: 'rubygems_' }],
    validate: (value) => random(3.4, 1)(value.slice(9)),
  },
];
