// Where the endpoint listens: 127.0.0.1 only, never a wildcard address, and a port that is taken is
// reported as such instead of being silently replaced.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { isGatehouseError } from '../../../common/errors.js';
import { Broker } from '../../../main/core/broker.js';
import { PolicySchema } from '../../../main/core/policy/schema.js';
import { silentLogger } from '../../../main/core/ports/logger.js';
import { startTwin, type TwinServer } from '../../fixtures/servers/twin.js';
import { startBroker, TEST_TOKEN, type Harness } from '../helpers/broker-harness.js';

function nonLoopbackAddresses(): Array<{ address: string; family: 'IPv4' | 'IPv6' }> {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal && !i.address.startsWith('fe80:'))
    .map((i) => ({ address: i.address, family: i.family }));
}

/** Resolves 'connected' or the error code of a TCP connection attempt. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: string): void => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(2000, () => done('timeout'));
    socket.once('connect', () => done('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** Listening sockets on `port` from /proc/net/tcp{,6}, as hex local addresses; undefined when /proc is not there. */
async function procListeners(port: number): Promise<string[] | undefined> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      if (file === '/proc/net/tcp') return undefined;
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [addr, p] = (cols[1] ?? '').split(':');
      if (p === hexPort && cols[3] === '0A') found.push(addr!);
    }
  }
  return found;
}

describe('where the endpoint listens', () => {
  let a: TwinServer;
  let h: Harness;

  before(async () => {
    a = await startTwin('A');
    h = await startBroker([{ id: 'alpha', url: a.url }]);
  });
  after(async () => {
    await h?.stop();
    await a?.close();
  });

  test('the one listening socket is bound to 127.0.0.1', async (t) => {
    const listeners = await procListeners(h.port);
    if (listeners === undefined) return t.skip('no /proc/net/tcp on this system');
    assert.deepEqual(listeners, ['0100007F']);
    assert.equal(await tryConnect('127.0.0.1', h.port), 'connected');
  });

  test("the endpoint cannot be reached on the machine's other addresses", async (t) => {
    const others = nonLoopbackAddresses();
    if (others.length === 0) return t.skip('this machine has no non-loopback address');
    for (const { address } of others) {
      const outcome = await tryConnect(address, h.port);
      assert.notEqual(outcome, 'connected', `the endpoint answered on ${address}`);
    }
  });

  test('nor on IPv6 loopback', async () => {
    assert.notEqual(await tryConnect('::1', h.port), 'connected');
  });

  test('a second broker on the same port refuses to start with GATEHOUSE_PORT_IN_USE', async () => {
    const second = new Broker({
      policy: PolicySchema.parse({ version: 1, servers: [{ id: 'alpha', url: a.url, auth: { mode: 'none' } }] }),
      port: h.port,
      version: 'test',
      logger: silentLogger,
      clients: { authenticate: (token) => (token === TEST_TOKEN ? { name: 'test' } : undefined) },
    });
    try {
      await assert.rejects(second.start(), (error: unknown) => {
        assert.ok(isGatehouseError(error), `not a GatehouseError: ${String(error)}`);
        assert.equal(error.code, 'GATEHOUSE_PORT_IN_USE');
        assert.match(error.message, new RegExp(String(h.port)));
        return true;
      });
    } finally {
      await second.stop();
    }
    // The first broker is unaffected.
    const client = await h.connect();
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['alpha__get_item', 'alpha__search']);
  });
});
