import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GATEHOUSE_VERSION } from '../../../common/version.js';

test('the version the CLI reports is the package version', () => {
  const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  assert.equal(GATEHOUSE_VERSION, pkg.version);
});
