// The local endpoint's refusals, each on its own. Every request that must be refused carries a body
// that is not JSON: a 403/401/413 instead of 400 proves the refusal came before any parsing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { OTHER_TOKEN, startBroker, TEST_TOKEN, type Harness } from '../helpers/broker-harness.js';
import { bearer, INVALID_JSON, initializeRaw, JSON_HEADERS, raw, type RawResponse } from './raw-http.js';

const MAX_BODY = 2048;

describe('the endpoint refuses before parsing', () => {
  let a: TwinServer;
  let b: TwinServer;
  let h: Harness;
  let otherPort: number;

  before(async () => {
    [a, b] = await Promise.all([startTwin('A'), startTwin('B')]);
    h = await startBroker([{ id: 'alpha', url: a.url }, { id: 'beta', url: b.url }], {
      endpoint: { maxBodyBytes: MAX_BODY },
      clients: [{ name: 'restricted', servers: ['alpha'] }],
    });
    otherPort = h.port === 65535 ? h.port - 1 : h.port + 1;
  });
  after(async () => {
    await h?.stop();
    await Promise.all([a?.close(), b?.close()]);
  });

  /** A POST with the given headers on top of a valid token and JSON content type, and a body that is not JSON. */
  const post = (headers: Record<string, string>, path = '/mcp'): Promise<RawResponse> =>
    raw(h.port, { path, headers: { ...JSON_HEADERS, ...bearer(TEST_TOKEN), ...headers }, body: INVALID_JSON });

  /** Passing every check up to parsing is shown by the parse error. */
  const assertReachedParser = (res: RawResponse): void => {
    assert.equal(res.status, 400, res.text);
    assert.equal((JSON.parse(res.text) as { error: { code: number } }).error.code, -32700);
  };

  test('the baseline: with our Host, our token and no Origin, an invalid body reaches the parser (400)', async () => {
    assertReachedParser(await post({}));
    assertReachedParser(await post({ host: `localhost:${h.port}` }));
  });

  test('403 for a foreign Host name (DNS rebinding)', async () => {
    const res = await post({ host: `evil.example:${h.port}` });
    assert.equal(res.status, 403);
    assert.match(res.text, /Host/);
  });

  test('403 for loopback on another port in Host', async () => {
    assert.equal((await post({ host: `127.0.0.1:${otherPort}` })).status, 403);
    assert.equal((await post({ host: `localhost:${otherPort}` })).status, 403);
  });

  test('403 for a Host without a port, and for no Host at all', async () => {
    assert.equal((await post({ host: '127.0.0.1' })).status, 403);
    const res = await raw(h.port, { noHost: true, headers: { ...JSON_HEADERS, ...bearer(TEST_TOKEN) }, body: INVALID_JSON });
    // HTTP/1.1 requires Host; Node itself may answer 400 before the endpoint sees the request.
    assert.ok(res.status === 403 || res.status === 400, `got ${res.status}`);
    assert.doesNotMatch(res.text, /Parse error/);
  });

  test('403 for a foreign Origin (a web page)', async () => {
    const res = await post({ origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    assert.match(res.text, /web pages/);
  });

  test('403 for a loopback Origin on another port, and for an opaque Origin', async () => {
    assert.equal((await post({ origin: `http://localhost:${otherPort}` })).status, 403);
    assert.equal((await post({ origin: `http://127.0.0.1:${otherPort}` })).status, 403);
    assert.equal((await post({ origin: `https://127.0.0.1:${h.port}` })).status, 403);
    assert.equal((await post({ origin: 'null' })).status, 403);
  });

  test("accepts the endpoint's own loopback origin", async () => {
    assertReachedParser(await post({ origin: `http://127.0.0.1:${h.port}` }));
    assertReachedParser(await post({ origin: `http://localhost:${h.port}` }));
  });

  test('403 for Sec-Fetch-Site: cross-site, even from our own Origin', async () => {
    const res = await post({ 'sec-fetch-site': 'cross-site' });
    assert.equal(res.status, 403);
    assert.match(res.text, /cross-site/);
    assert.equal((await post({ 'sec-fetch-site': 'cross-site', origin: `http://127.0.0.1:${h.port}` })).status, 403);
    assertReachedParser(await post({ 'sec-fetch-site': 'same-origin' }));
    assertReachedParser(await post({ 'sec-fetch-site': 'none' }));
  });

  test('the Host check comes before the token check', async () => {
    const res = await raw(h.port, { headers: { ...JSON_HEADERS, host: `evil.example:${h.port}` }, body: INVALID_JSON });
    assert.equal(res.status, 403);
  });

  test('401 with WWW-Authenticate without an Authorization header', async () => {
    const res = await raw(h.port, { headers: JSON_HEADERS, body: INVALID_JSON });
    assert.equal(res.status, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer /);
    assert.match(res.text, /gatehouse connect/);
  });

  test('401 with WWW-Authenticate for a wrong token', async () => {
    const res = await post(bearer('gh_not-a-registered-token-000000000000000000'));
    assert.equal(res.status, 401);
    assert.match(String(res.headers['www-authenticate']), /^Bearer .*error="invalid_token"/);
  });

  test('401 with WWW-Authenticate for malformed Authorization headers', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', `Bearer ${TEST_TOKEN} extra`, `Token ${TEST_TOKEN}`, `Bearer ${'x'.repeat(513)}`, TEST_TOKEN]) {
      const res = await post({ authorization });
      assert.equal(res.status, 401, `Authorization: ${authorization.slice(0, 40)} gave ${res.status}`);
      assert.match(String(res.headers['www-authenticate']), /^Bearer /);
    }
  });

  test('413 for a declared Content-Length over the cap, before reading the body', async () => {
    const body = INVALID_JSON + ' '.repeat(256 * 1024);
    const res = await post({ 'content-length': String(Buffer.byteLength(body)) });
    assert.equal(res.status, 413, res.text);
    assert.match(res.text, new RegExp(`${MAX_BODY} bytes`));
  });

  test('413 for a chunked body that grows over the cap', async () => {
    const chunk = INVALID_JSON + ' '.repeat(1000);
    const res = await raw(h.port, {
      headers: { ...JSON_HEADERS, ...bearer(TEST_TOKEN) },
      chunks: Array.from({ length: 256 }, () => chunk),
    });
    assert.equal(res.status, 413, res.text);
  });

  test('a body just under the cap is read (and, being invalid, fails to parse)', async () => {
    const body = INVALID_JSON + ' '.repeat(MAX_BODY - Buffer.byteLength(INVALID_JSON));
    assert.equal(Buffer.byteLength(body), MAX_BODY);
    assertReachedParser(await raw(h.port, { headers: { ...JSON_HEADERS, ...bearer(TEST_TOKEN) }, body }));
    assertReachedParser(await raw(h.port, { headers: { ...JSON_HEADERS, ...bearer(TEST_TOKEN) }, chunks: [body.slice(0, 1000), body.slice(1000)] }));
  });

  test('no Access-Control-* header, even to a CORS preflight', async () => {
    // raw() itself fails on any Access-Control-* header; these are the requests a browser would make.
    const preflight = {
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, mcp-session-id',
    };
    const foreign = await raw(h.port, { method: 'OPTIONS', headers: { ...preflight, origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    // A preflight carries no credentials.
    const own = await raw(h.port, { method: 'OPTIONS', headers: { ...preflight, origin: `http://127.0.0.1:${h.port}` } });
    assert.equal(own.status, 401);
    const withToken = await raw(h.port, { method: 'OPTIONS', headers: { ...preflight, ...bearer(TEST_TOKEN) } });
    assert.equal(withToken.status, 405);
    assert.equal(withToken.headers['allow'], 'GET, POST, DELETE');
    // And on a successful exchange.
    const sid = await initializeRaw(h.port, TEST_TOKEN);
    const listed = await raw(h.port, { headers: { ...JSON_HEADERS, ...bearer(TEST_TOKEN), 'mcp-session-id': sid, origin: `http://127.0.0.1:${h.port}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    assert.equal(listed.status, 200, listed.text);
    const stream = await raw(h.port, { method: 'GET', headersOnly: true, headers: { ...bearer(TEST_TOKEN), accept: 'text/event-stream', 'mcp-session-id': sid, origin: `http://127.0.0.1:${h.port}` } });
    assert.equal(stream.status, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
  });

  test('404 for an unknown server id, but only after the token check', async () => {
    const unauthenticated = await raw(h.port, { path: '/mcp/nosuch', headers: JSON_HEADERS, body: INVALID_JSON });
    assert.equal(unauthenticated.status, 401);
    const wrongToken = await post(bearer('gh_wrong'), '/mcp/nosuch');
    assert.equal(wrongToken.status, 401);
    const foreignHost = await post({ host: `evil.example:${h.port}` }, '/mcp/nosuch');
    assert.equal(foreignHost.status, 403);
    const known = await post({}, '/mcp/nosuch');
    assert.equal(known.status, 404);
    assert.match(known.text, /nosuch/);
  });

  test('a path that is not an MCP endpoint is 404 after the token check too', async () => {
    assert.equal((await raw(h.port, { path: '/admin', headers: JSON_HEADERS, body: INVALID_JSON })).status, 401);
    assert.equal((await post({}, '/admin')).status, 404);
    assert.equal((await post({}, '/mcp/alpha/extra')).status, 404);
  });

  test('403 for a client that policy restricts, opening a server it may not use', async () => {
    const res = await post(bearer(OTHER_TOKEN), '/mcp/beta');
    assert.equal(res.status, 403);
    assert.match(res.text, /restricted/);
    assert.match(res.text, /beta/);
    // Its allowed server is open to it.
    assertReachedParser(await post(bearer(OTHER_TOKEN), '/mcp/alpha'));
    const client = await h.connect('/mcp/alpha', { token: OTHER_TOKEN });
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['get_item', 'search']);
  });

  test("the restricted client's aggregate shows only the servers it may use", async () => {
    const client = await h.connect('/mcp', { token: OTHER_TOKEN });
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['alpha__get_item', 'alpha__search']);
    await assert.rejects(client.callTool({ name: 'beta__search', arguments: { query: 'x' } }), /GATEHOUSE_TOOL_UNKNOWN/);
    const ok = await client.callTool({ name: 'alpha__search', arguments: { query: 'x' } });
    assert.deepEqual(ok.content, [{ type: 'text', text: '[A] results for "x"' }]);
  });

  const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
  /** A request on an existing session: POST carries a tools/list, GET and DELETE no body. */
  const onSession = (token: string, sessionId: string, path = '/mcp', method = 'POST'): Promise<RawResponse> =>
    raw(h.port, { method, path, headers: { ...JSON_HEADERS, ...bearer(token), 'mcp-session-id': sessionId }, ...(method === 'POST' ? { body: LIST } : {}) });

  test('404 for a session id used by another client, or on another endpoint path', async () => {
    const sid = await initializeRaw(h.port, TEST_TOKEN);
    const own = await onSession(TEST_TOKEN, sid);
    assert.equal(own.status, 200, own.text);
    assert.equal(own.headers['mcp-session-id'], sid);

    const stolen = await onSession(OTHER_TOKEN, sid);
    assert.equal(stolen.status, 404, stolen.text);
    assert.doesNotMatch(stolen.text, /alpha__/);
    assert.equal((await onSession(OTHER_TOKEN, sid, '/mcp', 'GET')).status, 404);
    assert.equal((await onSession(OTHER_TOKEN, sid, '/mcp', 'DELETE')).status, 404);
    assert.equal((await onSession(OTHER_TOKEN, sid, '/mcp/alpha')).status, 404);
    assert.equal((await onSession(TEST_TOKEN, sid, '/mcp/alpha')).status, 404);

    // The attempts did not harm the session, which its own client can still use and end.
    assert.equal((await onSession(TEST_TOKEN, sid)).status, 200);
    assert.equal((await onSession(TEST_TOKEN, sid, '/mcp', 'DELETE')).status, 200);
    assert.equal((await onSession(TEST_TOKEN, sid)).status, 404);
  });

  test('404 for an unknown session id', async () => {
    const unknown = '5b0c1e9e-0000-4000-8000-000000000000';
    const res = await onSession(TEST_TOKEN, unknown);
    assert.equal(res.status, 404);
    assert.match(res.text, /Session not found/);
    assert.equal((await onSession(TEST_TOKEN, unknown, '/mcp', 'GET')).status, 404);
    assert.equal((await onSession(TEST_TOKEN, unknown, '/mcp', 'DELETE')).status, 404);
    // Without a token, the session id is not even looked at.
    const anonymous = await raw(h.port, { headers: { ...JSON_HEADERS, 'mcp-session-id': unknown }, body: INVALID_JSON });
    assert.equal(anonymous.status, 401);
  });
});
