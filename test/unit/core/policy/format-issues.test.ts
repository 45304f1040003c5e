import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssues } from '../../../../main/core/policy/format-issues.js';

test('prints one "path: message" line per issue, in order', () => {
  const lines = formatIssues([
    { path: '$.servers[0].url', message: 'must use https (http is allowed only for loopback addresses)' },
    { path: '$.version', message: 'is required: set "version": 1' },
  ]);
  assert.deepEqual(lines, ['$.servers[0].url: must use https (http is allowed only for loopback addresses)', '$.version: is required: set "version": 1']);
});

test('prints nothing when there are no issues', () => {
  assert.deepEqual(formatIssues([]), []);
});
