import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Synth } from '../../../../fixtures/dlp/synthetic.js';
import { detect } from './detect.js';

const s = new Synth(12);

test('finds GitHub tokens whose CRC32 checksum is right, and only those', () => {
  assert.deepEqual(detect(`GITHUB_TOKEN=${s.checksummed('ghp_')}`), ['github-classic-pat']);
  assert.deepEqual(detect(`t ${s.checksummed('gho_')}`), ['github-oauth-token']);
  assert.deepEqual(detect(`t ${s.checksummed('ghs_')} ${s.checksummed('ghu_')}`), ['github-app-token', 'github-app-token']);
  assert.deepEqual(detect(`t ${s.checksummed('ghr_')}`), ['github-refresh-token']);
  const good = s.checksummed('ghp_');
  const bad = `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`;
  assert.deepEqual(detect(`GITHUB_TOKEN=${bad}`), [], 'a failing checksum is not a token, and the catch-all stands down too');
  assert.deepEqual(detect(`t ${s.githubFineGrained()}`), ['github-fine-grained-pat']);
});

test('finds npm tokens by checksum and GitLab, Atlassian, PyPI, Docker Hub and RubyGems tokens', () => {
  assert.deepEqual(detect(`//registry.npmjs.org/:_authToken=${s.checksummed('npm_')}`), ['npm-token']);
  assert.deepEqual(detect(`npm_${s.mixed(36)}`), []);
  assert.deepEqual(detect(`PRIVATE-TOKEN: ${s.gitlabPat()}`), ['gitlab-pat']);
  assert.deepEqual(detect(`token ${s.gitlabToken()}`), ['gitlab-token']);
  assert.deepEqual(detect(`token ${s.atlassianToken()}`), ['atlassian-api-token']);
  assert.deepEqual(detect(`token ${s.pypiToken()}`), ['pypi-token']);
  assert.deepEqual(detect(`token ${s.dockerToken()}`), ['docker-hub-token']);
  assert.deepEqual(detect(`key ${s.rubygemsKey()}`), ['rubygems-api-key']);
  assert.deepEqual(detect('GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx'), []);
});
