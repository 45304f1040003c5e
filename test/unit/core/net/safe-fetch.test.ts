import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { Agent } from 'undici';
import { isGatehouseError } from '../../../../common/errors.js';
import { guardDispatcher } from '../../../../main/core/net/guarded-dispatcher.js';
import { createSafeFetch } from '../../../../main/core/net/safe-fetch.js';
import type { LookupAll } from '../../../../main/core/net/safe-lookup.js';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'oauth');
const cert = readFileSync(join(fixtures, 'test-tls-cert.pem'));
const key = readFileSync(join(fixtures, 'test-tls-key.pem'));

interface Seen { host: string | undefined; servername: string | undefined; path: string | undefined }

function handler(seen: Seen[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    seen.push({ host: req.headers.host, servername: (req.socket as TLSSocket).servername || undefined, path: req.url });
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'https://169.254.169.254/latest/meta-data/' }).end();
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pad: 'x'.repeat(5000) }));
    } else if (req.url === '/hang') {
      // never answers
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A resolver that answers from a table and counts questions; anything else does not exist. */
function fakeDns(table: Record<string, string[] | (() => string[])>): LookupAll & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string) => {
    asked.push(hostname);
    const entry = table[hostname];
    const addresses = typeof entry === 'function' ? entry() : entry;
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

async function refusedWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isGatehouseError(error), `expected a GatehouseError, got ${String(error)}`);
    assert.equal(error.code, 'GATEHOUSE_UNSAFE_URL');
    assert.match(error.message, pattern);
    return true;
  });
}

describe('createSafeFetch over plain http (development mode)', () => {
  const seen: Seen[] = [];
  const server = createServer(handler(seen));
  const agent = new Agent();
  let port = 0;
  before(async () => { port = await listen(server); });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await agent.close();
  });

  test('fetches a loopback URL and returns a standard Response', async () => {
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: true } });
    const res = await fetch(`http://127.0.0.1:${port}/doc?x=1`);
    assert.ok(res instanceof Response);
    assert.deepEqual(await res.json(), { ok: true });
    assert.equal(seen.at(-1)?.path, '/doc?x=1');
  });

  test('connects to the address it checked, not to a second resolution of the name', async () => {
    // The system resolver does not know this name; the request can only succeed through the pin.
    const dns = fakeDns({ 'mcp.example.test': ['127.0.0.1'] });
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: true }, lookup: dns });
    const res = await fetch(`http://mcp.example.test:${port}/pinned`);
    assert.equal(res.status, 200);
    assert.deepEqual(dns.asked, ['mcp.example.test']);
    assert.equal(seen.at(-1)?.host, `mcp.example.test:${port}`, 'the Host header keeps the original name');
  });

  test('a name that rebinds to a private address between requests is refused on the next request', async () => {
    let answer = 0;
    const dns = fakeDns({ 'rebind.example.test': () => (answer++ === 0 ? ['127.0.0.1'] : ['10.0.0.5']) });
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: true }, lookup: dns });
    const before = seen.length;
    assert.equal((await fetch(`http://rebind.example.test:${port}/first`)).status, 200);
    await refusedWith(fetch(`http://rebind.example.test:${port}/second`), /private network address \(10\.0\.0\.5\)/);
    assert.deepEqual(seen.slice(before).map((s) => s.path), ['/first']);
  });

  test('a name with one acceptable and one private address is refused outright', async () => {
    const dns = fakeDns({ 'mixed.example.test': ['127.0.0.1', '192.168.1.20'] });
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: true }, lookup: dns });
    await refusedWith(fetch(`http://mixed.example.test:${port}/`), /192\.168\.1\.20/);
  });

  test('in development, plain http to a name is allowed only when the name resolves to loopback', async () => {
    const dns = fakeDns({ 'public.example.test': ['93.184.215.14'] });
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: true }, lookup: dns });
    await refusedWith(fetch('http://public.example.test/'), /not https/);
  });

  test('redirects are returned, not followed, so each hop is checked by whoever follows it', async () => {
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: true } });
    const res = await fetch(`http://127.0.0.1:${port}/redirect`);
    assert.equal(res.status, 302);
    const location = res.headers.get('location') ?? '';
    await refusedWith(fetch(location), /instance-metadata/);
  });

  test('a response larger than the cap is refused instead of buffered', async () => {
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: true }, maxResponseBytes: 1000 });
    await assert.rejects(fetch(`http://127.0.0.1:${port}/big`), /larger than 1000 bytes/);
  });

  test('a server that never answers is given up on after the timeout', async () => {
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: true }, timeoutMs: 200 });
    await assert.rejects(fetch(`http://127.0.0.1:${port}/hang`), /no answer from .* within 200 ms/);
  });

  test('outside development mode plain http and loopback are refused before any I/O', async () => {
    const dns = fakeDns({});
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: false }, lookup: dns });
    await refusedWith(fetch(`http://127.0.0.1:${port}/`), /not https/);
    await refusedWith(fetch(`https://localhost:${port}/`), /loopback/);
    assert.deepEqual(dns.asked, []);
  });

  test('the guarded dispatcher refuses on its own, whoever calls it', async () => {
    const guarded = guardDispatcher(agent, { policy: { allowLoopbackHttp: true } });
    await refusedWith(guarded.request({ origin: 'http://10.1.2.3:8080', path: '/', method: 'GET' }), /not https/);
    await refusedWith(guarded.request({ origin: 'https://169.254.169.254', path: '/', method: 'GET' }), /instance-metadata/);
  });
});

describe('createSafeFetch over https', () => {
  const seen: Seen[] = [];
  const server = createTlsServer({ cert, key }, handler(seen));
  const agent = new Agent({ connect: { ca: cert } });
  let port = 0;
  before(async () => { port = await listen(server); });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await agent.close();
  });

  test('an allowed internal host is reached at its checked address and TLS still verifies its name', async () => {
    const dns = fakeDns({ 'idp.corp.test': ['127.0.0.1'] });
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: false, allowedHosts: ['idp.corp.test'] }, lookup: dns });
    const res = await fetch(`https://idp.corp.test:${port}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    assert.equal(seen.at(-1)?.servername, 'idp.corp.test', 'SNI carries the name, not the pinned IP');
    assert.equal(seen.at(-1)?.host, `idp.corp.test:${port}`);
  });

  test('the same host without the policy allowance is refused', async () => {
    const dns = fakeDns({ 'idp.corp.test': ['127.0.0.1'] });
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: false }, lookup: dns });
    await refusedWith(fetch(`https://idp.corp.test:${port}/`), /loopback/);
  });

  test('pinning does not weaken certificate checks: a name the certificate does not cover fails TLS', async () => {
    const dns = fakeDns({ 'other.corp.test': ['127.0.0.1'] });
    const fetch = createSafeFetch({ dispatcher: agent, policy: { allowLoopbackHttp: false, allowedHosts: ['other.corp.test'] }, lookup: dns });
    await assert.rejects(fetch(`https://other.corp.test:${port}/`), (error: unknown) => {
      assert.ok(!isGatehouseError(error));
      const cause = (error as Error).cause as { code?: string } | undefined;
      assert.equal(cause?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
      return true;
    });
  });
});
