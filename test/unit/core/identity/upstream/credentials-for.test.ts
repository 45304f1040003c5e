import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'undici';
import { credentialsFor, type UpstreamCredentialsDeps } from '../../../../../main/core/identity/upstream/credentials-for.js';
import { IdJagCredentials } from '../../../../../main/core/identity/upstream/id-jag-credentials.js';
import { NO_CREDENTIALS, type UpstreamCredentials } from '../../../../../main/core/identity/upstream-credentials.js';
import { ServerPolicySchema, type ServerPolicy } from '../../../../../main/core/policy/schema.js';
import { ManualClock } from '../../../../helpers/manual-clock.js';
import { FakeIdentity, RecordingLogger } from './fake-identity.js';

const URL_ = 'https://docs.example.com/mcp';
// Never used for a request here; id-jag only needs one to exist.
const agent = new Agent();
after(() => agent.close());

function server(auth: Record<string, unknown>): ServerPolicy {
  return ServerPolicySchema.parse({ id: 'docs', url: URL_, auth });
}

function deps(overrides: Partial<UpstreamCredentialsDeps> = {}): UpstreamCredentialsDeps & { identity: FakeIdentity } {
  return { identity: new FakeIdentity(), dispatcher: agent, clock: new ManualClock(0), logger: new RecordingLogger(), allowLoopbackHttp: false, ...overrides } as UpstreamCredentialsDeps & { identity: FakeIdentity };
}

test('auth mode none sends no credentials', () => {
  assert.equal(credentialsFor(server({ mode: 'none' }), deps()), NO_CREDENTIALS);
});

test('auth mode oauth is built by the host-given factory, with the server policy', () => {
  const made: UpstreamCredentials = { authorization: () => Promise.resolve('Bearer x'), rejected: () => Promise.resolve(false) };
  const seen: ServerPolicy[] = [];
  const policy = server({ mode: 'oauth' });
  assert.equal(credentialsFor(policy, deps({ oauth: (s) => (seen.push(s), made) })), made);
  assert.deepEqual(seen, [policy]);
});

test('auth mode oauth without a factory is a clear wiring error', () => {
  assert.throws(() => credentialsFor(server({ mode: 'oauth' }), deps()), { code: 'GATEHOUSE_INTERNAL', message: /auth mode "oauth".*deps\.oauth/ });
});

test('an identity mode without a sign-in configured fails at call time with GATEHOUSE_IDENTITY_NOT_CONFIGURED', async () => {
  const credentials = credentialsFor(server({ mode: 'idp-audience' }), deps({ identity: undefined }));
  await assert.rejects(credentials.authorization(), { code: 'GATEHOUSE_IDENTITY_NOT_CONFIGURED', message: /server 'docs'.*"identity" section/ });
  assert.equal(await credentials.rejected({ status: 401, wwwAuthenticate: undefined, token: undefined }), false);
});

test('idp-audience asks for the server URL as resource unless policy names one', async () => {
  const d = deps();
  await credentialsFor(server({ mode: 'idp-audience' }), d).authorization();
  await credentialsFor(server({ mode: 'idp-audience', resource: 'https://docs.example.com/', scopes: ['docs.read'] }), d).authorization();
  assert.deepEqual(d.identity.grants, [
    { kind: 'refresh', params: { resource: URL_ } },
    { kind: 'refresh', params: { resource: 'https://docs.example.com/', scope: 'docs.read' } },
  ]);
});

test('token-exchange defaults audience and resource to the server URL', async () => {
  const d = deps();
  await credentialsFor(server({ mode: 'token-exchange' }), d).authorization();
  await credentialsFor(server({ mode: 'token-exchange', audience: 'api://docs' }), d).authorization();
  const requests = d.identity.grants.map((g) => (g.kind === 'exchange' ? { audience: g.request.audience, resource: g.request.resource } : g));
  assert.deepEqual(requests, [
    { audience: URL_, resource: URL_ },
    { audience: 'api://docs', resource: URL_ },
  ]);
});

test('id-jag builds its own credentials per server', () => {
  const credentials = credentialsFor(server({ mode: 'id-jag', authorizationServer: 'https://as.example.com', clientId: 'gatehouse' }), deps());
  assert.ok(credentials instanceof IdJagCredentials);
});
