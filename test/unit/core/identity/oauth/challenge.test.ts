import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { coversScopes, parseChallenge, scopeKey, unionScopes } from '../../../../../main/core/identity/oauth/challenge.js';

describe('parseChallenge', () => {
  const CASES: ReadonlyArray<readonly [string | undefined, ReturnType<typeof parseChallenge>]> = [
    [undefined, {}],
    ['', {}],
    ['Basic realm="x"', { error: undefined, scope: undefined, resourceMetadataUrl: undefined }],
    [
      'Bearer error="insufficient_scope", scope="files:read files:write", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
      { error: 'insufficient_scope', scope: 'files:read files:write', resourceMetadataUrl: new URL('https://mcp.example.com/.well-known/oauth-protected-resource/mcp') },
    ],
    ['Bearer realm="mcp", error=invalid_token', { error: 'invalid_token', scope: undefined, resourceMetadataUrl: undefined }],
    ['DPoP error="insufficient_scope", scope="admin"', { error: 'insufficient_scope', scope: 'admin', resourceMetadataUrl: undefined }],
    ['Bearer resource_metadata="not a url"', { error: undefined, scope: undefined, resourceMetadataUrl: undefined }],
  ];
  for (const [header, expected] of CASES) {
    test(`reads ${JSON.stringify(header)}`, () => {
      assert.deepEqual(parseChallenge(header), expected);
    });
  }

  test('a header value that is not even valid HTTP is treated as no challenge', () => {
    assert.deepEqual(parseChallenge('Bearer scope="a\nb"'), {});
  });
});

describe('scope arithmetic', () => {
  test('unionScopes keeps first-seen order and drops duplicates', () => {
    assert.equal(unionScopes('a b', 'b c', undefined, 'a'), 'a b c');
    assert.equal(unionScopes(undefined, ''), undefined);
  });

  test('scopeKey names a set regardless of order and repetition', () => {
    assert.equal(scopeKey('b a  b'), scopeKey('a b'));
    assert.notEqual(scopeKey('a b'), scopeKey('a b c'));
  });

  test('coversScopes is true only when every needed scope is held', () => {
    assert.equal(coversScopes('a b c', 'c a'), true);
    assert.equal(coversScopes('a b', 'a d'), false);
    assert.equal(coversScopes(undefined, 'a'), false);
    assert.equal(coversScopes('a', undefined), true);
  });
});
