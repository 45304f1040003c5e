import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { silentLogger } from '../../../../../main/core/ports/logger.js';
import { TokenVault, type StoredTokens } from '../../../../../main/core/identity/oauth/token-vault.js';
import { MemorySecrets } from '../../../../fixtures/oauth/memory-secrets.js';

const URL_A = 'https://a.example.com/mcp';
const URL_B = 'https://b.example.com/mcp';

function tokens(serverId: string, serverUrl: string): StoredTokens {
  return {
    v: 1,
    serverId,
    serverUrl,
    resource: serverUrl,
    issuer: 'https://auth.example.com',
    clientId: 'client',
    accessToken: `access-for-${serverId}`,
    refreshToken: `refresh-for-${serverId}`,
    expiresAt: 1_000,
    scope: 'read',
    requestedScope: 'read',
    obtainedAt: 0,
    obtainedBy: 'consent',
  };
}

describe('TokenVault', () => {
  test('files tokens per server id and URL, and reads back exactly what was saved', async () => {
    const secrets = new MemorySecrets();
    const a = new TokenVault(secrets, 'a', URL_A, silentLogger);
    const b = new TokenVault(secrets, 'b', URL_B, silentLogger);
    await a.saveTokens(tokens('a', URL_A));
    assert.deepEqual(await a.loadTokens(), tokens('a', URL_A));
    assert.equal(await b.loadTokens(), undefined);
    assert.deepEqual([...secrets.entries.keys()], [`oauth-tokens:a:${URL_A}`]);
  });

  test("never returns a record made for another server, even when it sits under this server's account", async () => {
    const secrets = new MemorySecrets();
    secrets.entries.set(`oauth-tokens:b:${URL_B}`, JSON.stringify(tokens('a', URL_A)));
    assert.equal(await new TokenVault(secrets, 'b', URL_B, silentLogger).loadTokens(), undefined);
    secrets.entries.set(`oauth-tokens:b:${URL_B}`, JSON.stringify(tokens('b', URL_A)));
    assert.equal(await new TokenVault(secrets, 'b', URL_B, silentLogger).loadTokens(), undefined, 'same id, other URL');
  });

  test('refuses to save a record for another server', async () => {
    await assert.rejects(new TokenVault(new MemorySecrets(), 'b', URL_B, silentLogger).saveTokens(tokens('a', URL_A)));
  });

  test('a damaged or foreign-format record reads as absent', async () => {
    const secrets = new MemorySecrets();
    const vault = new TokenVault(secrets, 'a', URL_A, silentLogger);
    for (const text of ['not json', '{}', JSON.stringify({ ...tokens('a', URL_A), v: 2 }), JSON.stringify({ ...tokens('a', URL_A), accessToken: '' })]) {
      secrets.entries.set(`oauth-tokens:a:${URL_A}`, text);
      assert.equal(await vault.loadTokens(), undefined, text);
    }
  });

  test('keeps one client registration per server and authorization server issuer', async () => {
    const secrets = new MemorySecrets();
    const vault = new TokenVault(secrets, 'a', URL_A, silentLogger);
    await vault.saveClient({ v: 1, issuer: 'https://one.example.com', clientId: 'c1', redirectUri: 'http://127.0.0.1:1234/callback' });
    assert.equal((await vault.loadClient('https://one.example.com'))?.clientId, 'c1');
    assert.equal(await vault.loadClient('https://two.example.com'), undefined);
    assert.equal(await new TokenVault(secrets, 'b', URL_B, silentLogger).loadClient('https://one.example.com'), undefined);
    await vault.forgetClient('https://one.example.com');
    assert.equal(await vault.loadClient('https://one.example.com'), undefined);
  });
});
