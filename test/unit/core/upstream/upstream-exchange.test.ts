import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent } from 'undici';
import { exchange, type Abortable } from '../../../../main/core/upstream/upstream-exchange.js';
import { readEventStream } from '../../../../main/core/upstream/sse-stream.js';

describe('one exchange with an upstream', () => {
  let server: Server;
  /** Whether the server managed to send the whole of its last huge answer. */
  let hugeSentInFull: Promise<boolean> = Promise.resolve(false);
  let origin: string;
  const agent = new Agent({ keepAliveTimeout: 1000 });

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/json') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's-1' }).end('{"ok":true}');
      } else if (req.url === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: message\ndata: {"n":1}\n\n');
        // The second event comes later and split in two, as a slow server sends it.
        setTimeout(() => res.write('data: {"n"'), 20);
        setTimeout(() => res.end(':2}\n\n'), 40);
      } else if (req.url === '/huge') {
        hugeSentInFull = new Promise((resolve) => res.once('close', () => resolve(res.writableFinished)));
        res.writeHead(404, { 'content-type': 'text/plain' });
        const block = 'x'.repeat(64 * 1024);
        let sent = 0;
        const more = (): void => {
          while (sent < 200) {
            sent++;
            if (!res.write(block)) return void res.once('drain', more);
          }
          res.end();
        };
        more();
      } else if (req.url === '/hang') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': still here\n\n');
      } else {
        setTimeout(() => res.writeHead(204).end(), 5_000).unref();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await agent.close();
  });

  test('gives status and headers, then the whole body to a reader that comes after it arrived', async () => {
    const reply = await exchange(agent, { origin, path: '/json', method: 'GET' });
    assert.equal(reply.statusCode, 200);
    assert.equal(reply.header('mcp-session-id'), 's-1');
    // By now the body has arrived and ended; it was kept for the reader.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(await reply.json(), { ok: true });
  });

  test('reads an event stream as it arrives, events split across chunks included', async () => {
    const reply = await exchange(agent, { origin, path: '/events', method: 'GET' });
    const seen: string[] = [];
    await readEventStream(reply, (event) => seen.push(event.data));
    assert.deepEqual(seen, ['{"n":1}', '{"n":2}']);
  });

  test('dropping a huge answer stops reading it instead of taking it all in', async () => {
    const reply = await exchange(agent, { origin, path: '/huge', method: 'GET' });
    await reply.dump();
    assert.equal(await hugeSentInFull, false);
  });

  test('a body can be read only once', async () => {
    const reply = await exchange(agent, { origin, path: '/json', method: 'GET' });
    await reply.text();
    assert.throws(() => reply.read({ data: () => {}, end: () => {} }), /read only once/);
  });

  test('an abort before the answer rejects with the reason, and the exchange leaves the in-flight set', async () => {
    const inflight = new Set<Abortable>();
    const controller = new AbortController();
    const pending = exchange(agent, { origin, path: '/slow', method: 'GET' }, { signal: controller.signal, inflight });
    assert.equal(inflight.size, 1);
    controller.abort(new Error('the client gave up'));
    await assert.rejects(pending, /the client gave up/);
    assert.equal(inflight.size, 0);
  });

  test('an already aborted signal sends nothing', async () => {
    const inflight = new Set<Abortable>();
    await assert.rejects(exchange(agent, { origin, path: '/json', method: 'GET' }, { signal: AbortSignal.abort(new Error('too late')), inflight }), /too late/);
    assert.equal(inflight.size, 0);
  });

  test('aborting the owner’s in-flight exchanges ends a stream being read with that reason', async () => {
    const inflight = new Set<Abortable>();
    const reply = await exchange(agent, { origin, path: '/hang', method: 'GET' }, { inflight });
    const reading = readEventStream(reply, () => {});
    for (const open of [...inflight]) open.abort(new Error('upstream transport closed'));
    await assert.rejects(reading, /upstream transport closed/);
    assert.equal(inflight.size, 0);
  });

  // Regression: an owner's in-flight set keeps outgrown tables, and the exchanges in them, until V8's
  // next full collection. A finished exchange that still held its reader kept the whole call alive
  // there, so every call's objects were promoted to the old generation (a quarter of all allocation).
  test('a finished exchange lets go of its reader while the answer is still referenced', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // The stream ends after the reader attached, so it is the end of the exchange that lets go.
    const reply = await exchange(agent, { origin, path: '/events', method: 'GET' }, { inflight: new Set<Abortable>() });
    let held: WeakRef<object> | undefined;
    await new Promise<void>((resolve) => {
      const reader = { data: () => {}, end: () => resolve() };
      held = new WeakRef(reader);
      reply.read(reader);
    });
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(held!.deref(), undefined);
    assert.equal(reply.statusCode, 200);
  });

  test('a reader that throws ends the exchange with its error', async () => {
    const reply = await exchange(agent, { origin, path: '/events', method: 'GET' });
    await assert.rejects(
      readEventStream(reply, () => {
        throw new Error('not an event we can take');
      }),
      /not an event we can take/,
    );
  });
});
