import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateClientToken, isWellFormedClientToken, maskClientToken } from '../../../../main/core/clients/token.js';

test('generated tokens are well formed and distinct', () => {
  const tokens = new Set(Array.from({ length: 50 }, generateClientToken));
  assert.equal(tokens.size, 50);
  for (const token of tokens) assert.ok(isWellFormedClientToken(token), token.length.toString());
});

test('the masked form shows the prefix and last four characters only', () => {
  const token = generateClientToken();
  assert.equal(maskClientToken(token), `gh_…${token.slice(-4)}`);
  assert.equal(maskClientToken('short'), 'gh_…');
});
