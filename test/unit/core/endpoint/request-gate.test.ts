import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { checkRequest, type GateResult } from '../../../../main/core/endpoint/request-gate.js';

const PORT = 47474;
const TOKEN = 'gh_abcDEF123-_xyz';
const ok: IncomingHttpHeaders = { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}` };

const check = (extra: IncomingHttpHeaders, base: IncomingHttpHeaders = ok): GateResult => checkRequest({ ...base, ...extra }, PORT);
const status = (r: GateResult): number | 'ok' => (r.ok ? 'ok' : r.status);

describe('checkRequest', () => {
  test('lets a local client with a bearer token through, handing back the token', () => {
    assert.deepEqual(checkRequest(ok, PORT), { ok: true, token: TOKEN });
    assert.deepEqual(check({ host: `localhost:${PORT}` }), { ok: true, token: TOKEN });
  });

  describe('Host', () => {
    test('must name loopback on our own port', () => {
      for (const host of [`evil.example:${PORT}`, `127.0.0.1:${PORT + 1}`, `localhost:${PORT + 1}`, '127.0.0.1', 'localhost', `[::1]:${PORT}`, `0.0.0.0:${PORT}`, `127.0.0.2:${PORT}`, `localhost.evil.example:${PORT}`, `127.0.0.1:${PORT}.evil.example`]) {
        const r = check({ host });
        assert.equal(status(r), 403, `Host ${host}`);
        assert.ok(!r.ok && /Host/.test(r.message));
      }
    });

    test('is required', () => {
      assert.equal(status(checkRequest({ authorization: `Bearer ${TOKEN}` }, PORT)), 403);
      assert.equal(status(check({ host: '' })), 403);
    });

    test('is compared without regard to case', () => {
      assert.equal(status(check({ host: `LOCALHOST:${PORT}` })), 'ok');
    });

    test('is checked before anything else', () => {
      const r = checkRequest({ host: `evil.example:${PORT}`, origin: 'https://evil.example' }, PORT);
      assert.equal(status(r), 403);
      assert.ok(!r.ok && /Host/.test(r.message));
    });
  });

  describe('Origin', () => {
    test('absent (a non-browser client) is fine', () => {
      assert.equal(status(check({})), 'ok');
    });

    test("our own loopback origin is fine, in either spelling", () => {
      assert.equal(status(check({ origin: `http://127.0.0.1:${PORT}` })), 'ok');
      assert.equal(status(check({ origin: `http://localhost:${PORT}` })), 'ok');
      assert.equal(status(check({ origin: `HTTP://LocalHost:${PORT}` })), 'ok');
    });

    test('anything else is a web page and refused', () => {
      for (const origin of ['https://evil.example', `http://evil.example:${PORT}`, `http://localhost:${PORT + 1}`, `http://127.0.0.1:${PORT + 1}`, `https://127.0.0.1:${PORT}`, `http://127.0.0.1:${PORT}/`, 'http://127.0.0.1', 'null', '', `http://127.0.0.1:${PORT}.evil.example`]) {
        const r = check({ origin });
        assert.equal(status(r), 403, `Origin ${JSON.stringify(origin)}`);
        assert.ok(!r.ok && /web pages/.test(r.message));
      }
    });

    test('is checked before the token', () => {
      assert.equal(status(checkRequest({ host: `127.0.0.1:${PORT}`, origin: 'https://evil.example' }, PORT)), 403);
    });
  });

  describe('Sec-Fetch-Site', () => {
    test('cross-site is refused even with our origin and a token', () => {
      const r = check({ 'sec-fetch-site': 'cross-site', origin: `http://127.0.0.1:${PORT}` });
      assert.equal(status(r), 403);
      assert.ok(!r.ok && /cross-site/.test(r.message));
    });

    test('same-origin and none (typed by the user) pass', () => {
      assert.equal(status(check({ 'sec-fetch-site': 'same-origin' })), 'ok');
      assert.equal(status(check({ 'sec-fetch-site': 'none' })), 'ok');
    });
  });

  describe('Authorization', () => {
    test('missing is 401', () => {
      const r = checkRequest({ host: `127.0.0.1:${PORT}` }, PORT);
      assert.equal(status(r), 401);
      assert.ok(!r.ok && /gatehouse connect/.test(r.message));
    });

    test('malformed is 401', () => {
      for (const authorization of ['', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', TOKEN, `Token ${TOKEN}`, `Bearer ${TOKEN} extra`, `Bearer  ${TOKEN}`, `Bearer ${TOKEN}\u00e9`, `Bearer ${'a'.repeat(513)}`, `Bearer\t${TOKEN}`]) {
        assert.equal(status(check({ authorization })), 401, `Authorization ${JSON.stringify(authorization.slice(0, 40))}`);
      }
    });

    test('the scheme is case-insensitive and surrounding space is ignored', () => {
      assert.deepEqual(check({ authorization: `bearer ${TOKEN}` }), { ok: true, token: TOKEN });
      assert.deepEqual(check({ authorization: `  BEARER ${TOKEN}  ` }), { ok: true, token: TOKEN });
    });

    test('a token of up to 512 visible ASCII characters is handed on unchanged', () => {
      const long = '!'.repeat(256) + '~'.repeat(256);
      assert.deepEqual(check({ authorization: `Bearer ${long}` }), { ok: true, token: long });
    });

    test('the gate only checks the shape: whether the token is known is decided later', () => {
      assert.deepEqual(check({ authorization: 'Bearer unknown' }), { ok: true, token: 'unknown' });
    });
  });
});
