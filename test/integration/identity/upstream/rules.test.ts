// The three rules of per-server tokens, checked on one broker with a server per identity mode:
// the local client token is never sent upstream; an upstream never receives a token minted for
// another server (nor the user's own IdP tokens); an IDE never sees an upstream token, an ID-JAG or
// any IdP token, in answers, errors or headers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, type JWTPayload } from 'jose';
import { TEST_TOKEN } from '../../helpers/broker-harness.js';
import { World } from './world.js';

const SERVERS = ['alpha', 'beta', 'gamma'] as const;

function claims(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

describe('per-server token rules', () => {
  let w: World;
  before(async () => {
    w = await World.start({
      servers: [
        { id: 'alpha', mode: 'idp-audience' },
        { id: 'beta', mode: 'token-exchange' },
        { id: 'gamma', mode: 'id-jag' },
        // Refuses every token once the test says so: the failure path must not leak either.
        { id: 'delta', mode: 'idp-audience' },
      ],
    });
    // Traffic for every rule: each server called twice, from two clients, plus a renewal.
    const [one, two] = [await w.connect(), await w.connect()];
    for (const c of [one, two]) for (const id of SERVERS) await w.whoami(c, id);
    w.id.clock.advance(290_000);
    for (const id of SERVERS) await w.whoami(one, id);
  });
  after(() => w?.stop());

  test('each server receives only tokens whose audience is its own URL', () => {
    for (const id of SERVERS) {
      const server = w.server(id);
      const tokens = server.tokensSeen();
      assert.ok(tokens.length >= 3, `${id} was called`);
      assert.ok(new Set(tokens).size >= 2, `${id} got a renewed token`);
      for (const token of tokens) assert.equal(decodeJwt(token).aud, server.url, `${id} got a token for ${String(decodeJwt(token).aud)}`);
    }
  });

  test('no server ever receives a token another server received', () => {
    for (const id of SERVERS) {
      const own = new Set(w.server(id).tokensSeen());
      for (const other of SERVERS.filter((o) => o !== id)) {
        for (const token of w.server(other).tokensSeen()) assert.ok(!own.has(token), `${other}'s token reached ${id}`);
      }
    }
  });

  test("no upstream ever receives the user's own IdP tokens (refresh, ID or access token)", () => {
    const audiences = new Set([...Object.values(w.servers).map((s) => s.url), w.as!.issuer]);
    const own = w.idp.tokenValues().filter((t) => !audiences.has(String(claims(t)?.aud)));
    assert.ok(own.length >= 3, 'the sign-in produced tokens of its own');
    const upstream = [...Object.values(w.servers).flatMap((s) => s.seen.map((r) => r.rawHeaders)), ...w.as!.tokenRequests.map((r) => JSON.stringify(r.params))].join('\n');
    for (const token of own) assert.ok(!upstream.includes(token), "one of the user's own IdP tokens reached an upstream");
  });

  test('the local client token never leaves Gatehouse', () => {
    for (const server of Object.values(w.servers)) {
      for (const request of server.seen) {
        assert.ok(!request.rawHeaders.includes(TEST_TOKEN), `the client token reached ${server.url}`);
        assert.doesNotMatch(request.authorization ?? '', /\bgh_/);
      }
    }
    for (const request of w.as!.tokenRequests) assert.ok(!JSON.stringify(request.params).includes(TEST_TOKEN), 'the client token reached the authorization server');
  });

  test('the IDE never sees an upstream token, an ID-JAG or an IdP token, in answers, errors or headers, and none is logged', async () => {
    const c = await w.connect();
    for (const id of SERVERS) await w.whoami(c, id);
    // The failure path: delta refuses every token, so the call fails after one retry.
    w.server('delta').refuseAll();
    await assert.rejects(c.client.callTool({ name: 'delta__whoami', arguments: {} }), (error: Error) => {
      assert.match(error.message, /GATEHOUSE_UPSTREAM_AUTH_FAILED/);
      assert.match(error.message, /server 'delta' refused the user's token \(HTTP 401\)/);
      return true;
    });
    assert.ok(w.server('delta').seen.some((r) => r.status === 401));
    for (const client of w.clients) await client.close();

    const secrets = [...w.upstreamSecrets(), ...w.idp.tokenValues()];
    assert.ok(secrets.length >= 10, 'there are upstream tokens and ID-JAGs to look for');
    const received = (await Promise.all(w.clients.map((client) => client.received()))).join('\n');
    assert.match(received, /"sub\\":\\"dev\\"/, 'the recording holds the tool answers');
    for (const secret of secrets) {
      assert.ok(!received.includes(secret), 'an upstream token reached the IDE');
      // A JWT's signature alone is as good as the token for recognising a leak of part of it.
      assert.ok(!received.includes(secret.split('.').at(-1)!), 'part of an upstream token reached the IDE');
    }
    const logged = w.logger.lines.join('\n');
    assert.ok(w.logger.lines.length > 0);
    for (const secret of secrets) assert.ok(!logged.includes(secret), 'an upstream token was logged');
  });
});
