// auth.mode token-exchange through a real broker: the demo IdP exchanges (RFC 8693) the user's access
// token for a JWT whose audience is the protected server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { TOKEN_EXCHANGE_GRANT } from '../../../../main/headless/demo/idp/index.js';
import { World } from './world.js';

describe('auth mode token-exchange', () => {
  let w: World;
  before(async () => {
    w = await World.start({ servers: [{ id: 'tickets', mode: 'token-exchange' }], idp: { resourceAccessTokenTtlSeconds: 120 } });
  });
  after(() => w?.stop());

  test("the server gets an exchanged JWT for its own audience with the user's subject", async () => {
    const c = await w.connect();
    const who = await w.whoami(c, 'tickets');
    assert.deepEqual(who, { server: 'tickets', sub: 'dev', aud: w.server('tickets').url, iss: w.idp.issuer, groups: ['developer'] });
    assert.ok(w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT) >= 1);
  });

  test('the exchanged token is reused until shortly before it expires, then exchanged again', async () => {
    const c = await w.connect();
    const tickets = w.server('tickets');
    await w.whoami(c, 'tickets');
    const first = tickets.tokensSeen().at(-1)!;
    const exchanges = w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT);
    w.id.clock.advance(89_000);
    await w.whoami(c, 'tickets');
    assert.equal(tickets.tokensSeen().at(-1), first);
    assert.equal(w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT), exchanges);
    w.id.clock.advance(1_000);
    await w.whoami(c, 'tickets');
    const second = tickets.tokensSeen().at(-1)!;
    assert.notEqual(second, first);
    assert.equal(w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT), exchanges + 1);
    assert.equal(decodeJwt(second).aud, tickets.url);
  });

  test('a token the server refuses is exchanged again once and the call succeeds', async () => {
    const c = await w.connect();
    const tickets = w.server('tickets');
    await w.whoami(c, 'tickets');
    const refused = tickets.tokensSeen().at(-1)!;
    const exchanges = w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT);
    tickets.revoke(refused);
    assert.equal((await w.whoami(c, 'tickets')).sub, 'dev');
    assert.ok(tickets.seen.some((r) => r.authorization === `Bearer ${refused}` && r.status === 401));
    assert.equal(w.idp.tokenRequests(TOKEN_EXCHANGE_GRANT), exchanges + 1);
  });
});
