import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { Agent } from 'undici';
import type { GatehouseErrorCode } from '../../../../common/errors.js';
import type { LookupAll } from '../../../../main/core/net/safe-lookup.js';
import { World } from './world.js';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'oauth');
const tls = { cert: readFileSync(join(fixtures, 'test-tls-cert.pem')), key: readFileSync(join(fixtures, 'test-tls-key.pem')), hostname: 'mcp.example.test' };

function refusal(code: GatehouseErrorCode, pattern: RegExp) {
  return (error: Error & { code?: string }): boolean => {
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

/** Fake DNS: the names the test uses, and nothing else. */
const dns = (table: Record<string, string>): LookupAll => async (hostname) => {
  const address = table[hostname];
  if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

describe('oauth upstream: what Gatehouse refuses', () => {
  let world: World;
  afterEach(async () => { await world.close(); });

  test('an authorization server that does not advertise PKCE S256, before any browser opens', async () => {
    world = await World.start({ as: { advertiseS256: false } });
    await assert.rejects(world.credentials().authorization(), refusal('GATEHOUSE_UPSTREAM_AUTH_FAILED', /does not advertise PKCE with S256/));
    assert.equal(world.opener.opened.length, 0);
    assert.equal(world.as.count('registration') + world.as.count('authorization'), 0);
  });

  test('metadata naming an authorization server at a private address, without contacting it', async () => {
    world = await World.start({ servers: [{ authorizationServers: ['https://10.20.30.40/oauth'] }] });
    await assert.rejects(world.credentials().authorization(), refusal('GATEHOUSE_UNSAFE_URL', /private network address.*auth\.allowedHosts/));
    assert.equal(world.opener.opened.length, 0);
  });

  test('metadata naming the cloud metadata service as authorization server', async () => {
    world = await World.start({ servers: [{ authorizationServers: ['http://169.254.169.254/latest/meta-data/'] }] });
    await assert.rejects(world.credentials().authorization(), refusal('GATEHOUSE_UNSAFE_URL', /not https|instance-metadata/));
  });

  test('an authorization server whose name resolves to a private address', async () => {
    world = await World.start({ servers: [{ authorizationServers: ['https://as.partner.example.test/'] }] });
    const credentials = world.credentials(undefined, { lookup: dns({ 'as.partner.example.test': '192.168.7.7' }) });
    await assert.rejects(credentials.authorization(), refusal('GATEHOUSE_UNSAFE_URL', /private network address \(192\.168\.7\.7\)/));
  });

  test('an authorization endpoint on a private address, before the consent page is shown', async () => {
    world = await World.start({ as: { metadataOverrides: { authorization_endpoint: 'https://10.0.0.9/authorize' } } });
    await assert.rejects(world.credentials().authorization(), refusal('GATEHOUSE_UNSAFE_URL', /authorization endpoint.*private network/));
    assert.equal(world.opener.opened.length, 0);
  });

  test('protected-resource metadata that describes another resource', async () => {
    world = await World.start({ servers: [{ advertisedResource: 'https://elsewhere.example.test/mcp' }] });
    await assert.rejects(world.credentials().authorization(), refusal('GATEHOUSE_UPSTREAM_AUTH_FAILED', /describes another resource/));
    assert.equal(world.as.seen.length, 0, 'the authorization server was never contacted');
  });

  test('a resource_metadata URL in a challenge that is not a safe https URL', async () => {
    world = await World.start();
    const credentials = world.credentials();
    for (const target of ['file:///etc/passwd', 'https://169.254.169.254/latest/meta-data/iam', 'https://[::ffff:10.0.0.1]/prm']) {
      await assert.rejects(
        credentials.rejected({ status: 401, wwwAuthenticate: `Bearer resource_metadata="${target}"`, token: undefined }),
        refusal('GATEHOUSE_UNSAFE_URL', /resource metadata URL/),
        target,
      );
    }
    assert.equal(world.opener.opened.length, 0);
  });

  test('outside development mode, an https server whose metadata names a plain-http authorization server', async () => {
    world = await World.start({ servers: [{ tls }] });
    const agent = new Agent({ connect: { ca: tls.cert } });
    try {
      const credentials = world.credentials(undefined, {
        // No allowedHosts: the server's own host (from policy) may be internal; what it advertises may not.
        config: { allowLoopbackHttp: false },
        lookup: dns({ 'mcp.example.test': '127.0.0.1' }),
        dispatcher: agent,
      });
      await assert.rejects(credentials.authorization(), refusal('GATEHOUSE_UNSAFE_URL', /authorization server URL.*not https/));
      assert.ok(world.server.seen.some((s) => s.path === '/.well-known/oauth-protected-resource/mcp'), 'the https metadata was read');
      assert.equal(world.as.seen.length, 0, 'the http authorization server was never contacted');
    } finally {
      await agent.close();
    }
  });
});
