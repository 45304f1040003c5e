// The id-jag mode's checks that need no network. The whole flow against a real IdP and
// authorization server is in test/integration/identity/upstream/id-jag.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'undici';
import { IdJagCredentials } from '../../../../../main/core/identity/upstream/id-jag-credentials.js';
import { ManualClock } from '../../../../helpers/manual-clock.js';
import { FakeIdentity, RecordingLogger } from './fake-identity.js';

async function attempt(authorizationServer: string, allowLoopbackHttp = false) {
  const identity = new FakeIdentity();
  const agent = new Agent();
  const lookups: string[] = [];
  try {
    const credentials = new IdJagCredentials({
      serverId: 'crm',
      identity,
      clock: new ManualClock(0),
      logger: new RecordingLogger(),
      authorizationServer,
      clientId: 'gatehouse',
      resource: 'https://crm.example.com/mcp',
      dispatcher: agent,
      allowLoopbackHttp,
      lookup: (host) => {
        lookups.push(host);
        return Promise.reject(new Error('no DNS in this test'));
      },
    });
    const error = await credentials.authorization().then(() => undefined, (e: unknown) => e);
    return { error, identity, lookups };
  } finally {
    await agent.close();
  }
}

test('refuses a plain-http authorization server outside development, before any request', async () => {
  const { error, identity, lookups } = await attempt('http://as.example.com');
  assert.equal((error as { code?: string }).code, 'GATEHOUSE_UPSTREAM_AUTH_FAILED');
  assert.match((error as Error).message, /refused the issuer .* it is not https.*auth\.authorizationServer/);
  assert.deepEqual(identity.grants, [], 'no ID-JAG was asked for');
  assert.deepEqual(lookups, []);
});

test('refuses the cloud metadata address even in development', async () => {
  const { error, identity } = await attempt('https://169.254.169.254', true);
  assert.equal((error as { code?: string }).code, 'GATEHOUSE_UPSTREAM_AUTH_FAILED');
  assert.match((error as Error).message, /instance-metadata service/);
  assert.deepEqual(identity.grants, []);
});
