import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GatehouseErrorCode } from '../../../../../common/errors.js';
import { discoverAuthorization, ResourceMetadataNotFound } from '../../../../../main/core/identity/oauth/discovery.js';
import type { SafeFetch } from '../../../../../main/core/net/safe-fetch.js';

const SERVER = new URL('https://mcp.example.com/tools/mcp');
const PRM_URL = 'https://mcp.example.com/.well-known/oauth-protected-resource/tools/mcp';
const ISSUER = 'https://auth.example.com/tenant1';

function asMetadata(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuer: ISSUER,
    authorization_endpoint: 'https://auth.example.com/tenant1/authorize',
    token_endpoint: 'https://auth.example.com/tenant1/token',
    registration_endpoint: 'https://auth.example.com/tenant1/register',
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    ...overrides,
  };
}

/** Serves JSON documents by URL (404 otherwise) and remembers what was asked, in order. */
function stubFetch(documents: Record<string, unknown>): SafeFetch & { asked: string[] } {
  const asked: string[] = [];
  const fetch = async (url: string | URL) => {
    asked.push(String(url));
    const doc = documents[String(url)];
    return doc === undefined ? new Response('not found', { status: 404 }) : Response.json(doc);
  };
  return Object.assign(fetch, { asked });
}

function world(prm: Record<string, unknown> = {}, as: Record<string, unknown> = {}, asAt = `https://auth.example.com/.well-known/oauth-authorization-server/tenant1`) {
  return stubFetch({
    [PRM_URL]: { resource: SERVER.href, authorization_servers: [ISSUER], scopes_supported: ['read'], ...prm },
    [asAt]: asMetadata(as),
  });
}

const PROD = { allowLoopbackHttp: false };

async function fails(promise: Promise<unknown>, code: GatehouseErrorCode, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('discoverAuthorization', () => {
  test('reads the metadata at the RFC 9728 path-inserted well-known URL, then RFC 8414 with the issuer path inserted', async () => {
    const fetch = world();
    const target = await discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch, policy: PROD });
    assert.equal(fetch.asked[0], PRM_URL);
    assert.equal(fetch.asked[1], 'https://auth.example.com/.well-known/oauth-authorization-server/tenant1');
    assert.equal(target.issuer, ISSUER);
    assert.equal(target.resource, SERVER.href);
  });

  test('falls back to OpenID discovery in the MCP order when there is no RFC 8414 document', async () => {
    const oidc = { jwks_uri: 'https://auth.example.com/tenant1/jwks', subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] };
    const fetch = world({}, oidc, 'https://auth.example.com/tenant1/.well-known/openid-configuration');
    const target = await discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch, policy: PROD });
    assert.deepEqual(fetch.asked.slice(1), [
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant1',
      'https://auth.example.com/.well-known/openid-configuration/tenant1',
      'https://auth.example.com/tenant1/.well-known/openid-configuration',
    ]);
    assert.equal(target.issuer, ISSUER);
  });

  test('uses the resource_metadata URL from the challenge instead of the well-known one', async () => {
    const custom = 'https://mcp.example.com/meta/prm.json';
    const fetch = stubFetch({
      [custom]: { resource: SERVER.href, authorization_servers: [ISSUER] },
      'https://auth.example.com/.well-known/oauth-authorization-server/tenant1': asMetadata(),
    });
    await discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, resourceMetadataUrl: new URL(custom), fetch, policy: PROD });
    assert.equal(fetch.asked[0], custom);
    assert.ok(!fetch.asked.includes(PRM_URL));
  });

  test('accepts a resource that is the server URL or its origin, and keeps the metadata value verbatim', async () => {
    const target = await discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch: world({ resource: 'https://mcp.example.com' }), policy: PROD });
    assert.equal(target.resource, 'https://mcp.example.com');
  });

  for (const resource of ['https://other.example.com/tools/mcp', 'https://mcp.example.com/tools/mcp-other', 'https://mcp.example.com:8443/tools/mcp', 'http://mcp.example.com/tools/mcp']) {
    test(`refuses metadata for another resource: ${resource}`, async () => {
      await fails(discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch: world({ resource }), policy: PROD }), 'GATEHOUSE_UPSTREAM_AUTH_FAILED', /describes another resource/);
    });
  }

  test('refuses a metadata document that does not parse, saying which field is wrong', async () => {
    await fails(discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch: world({ resource: 'not a url' }), policy: PROD }), 'GATEHOUSE_UPSTREAM_AUTH_FAILED', /not valid metadata \(resource: Invalid URL\)/);
  });

  test('refuses metadata naming no authorization server', async () => {
    await fails(discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch: world({ authorization_servers: [] }), policy: PROD }), 'GATEHOUSE_UPSTREAM_AUTH_FAILED', /names no authorization server/);
  });

  test('refuses a plain-http authorization server outside development mode, without contacting it', async () => {
    const fetch = world({ authorization_servers: ['http://auth.example.com/tenant1'] });
    await fails(discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch, policy: PROD }), 'GATEHOUSE_UNSAFE_URL', /authorization server URL that server "docs" advertised.*not https/);
    assert.deepEqual(fetch.asked, [PRM_URL]);
  });

  for (const methods of [undefined, [], ['plain']]) {
    test(`refuses an authorization server whose PKCE methods are ${JSON.stringify(methods)}`, async () => {
      await fails(discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch: world({}, { code_challenge_methods_supported: methods }), policy: PROD }), 'GATEHOUSE_UPSTREAM_AUTH_FAILED', /S256/);
    });
  }

  for (const [field, value, pattern] of [
    ['token_endpoint', 'http://auth.example.com/token', /token endpoint.*not https/],
    ['authorization_endpoint', 'https://192.168.1.1/authorize', /authorization endpoint.*private network/],
    ['registration_endpoint', 'https://metadata.google.internal/register', /registration endpoint.*instance-metadata/],
  ] as const) {
    test(`refuses an unsafe ${field} in the authorization server metadata`, async () => {
      await fails(discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch: world({}, { [field]: value }), policy: PROD }), 'GATEHOUSE_UNSAFE_URL', pattern);
    });
  }

  test('refuses authorization server metadata whose issuer is not the server asked (RFC 8414 §3.3)', async () => {
    await fails(discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch: world({}, { issuer: 'https://evil.example.com' }), policy: PROD }), 'GATEHOUSE_UPSTREAM_AUTH_FAILED', /could not read the metadata of its authorization server/);
  });

  test('without metadata at the well-known location, says so with a distinct error', async () => {
    await assert.rejects(discoverAuthorization({ serverId: 'docs', serverUrl: SERVER, fetch: stubFetch({}), policy: PROD }), ResourceMetadataNotFound);
  });
});
