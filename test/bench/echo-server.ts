// The upstream both bench paths call: a v2 SDK server with one `echo` tool, stateful sessions,
// on 127.0.0.1 port 0. It runs as a child process so its CPU time is not charged to the load
// client, and it prints `{"port":N}` on stdout once listening so the parent can find it.
// `--json` answers with application/json instead of the SDK's default SSE stream.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

const enableJsonResponse = process.argv.includes('--json');
const transports = new Map<string, NodeStreamableHTTPServerTransport>();

async function openSession(): Promise<NodeStreamableHTTPServerTransport> {
  const server = new McpServer({ name: 'bench-echo', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns its text argument unchanged.', inputSchema: z.object({ text: z.string() }) },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableJsonResponse,
    onsessioninitialized: (id) => {
      transports.set(id, transport);
    },
    onsessionclosed: (id) => {
      transports.delete(id);
    },
  });
  await server.connect(transport);
  return transport;
}

// No Host/Origin guard: this fixture only ever binds 127.0.0.1 for the bench's lifetime, and any
// extra work here would be paid equally by both paths and only blur the difference we measure.
const http = createServer((req, res) => {
  void (async () => {
    if (!req.url?.startsWith('/mcp')) {
      res.writeHead(404).end();
      return;
    }
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    let transport: NodeStreamableHTTPServerTransport | undefined;
    if (sessionId === undefined) {
      // A request without a session can only be `initialize`; the transport itself answers 400 to
      // anything else, so we need not parse the body here.
      transport = await openSession();
    } else {
      transport = transports.get(sessionId);
    }
    if (transport === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }));
      return;
    }
    await transport.handleRequest(req, res);
  })().catch((error: unknown) => {
    process.stderr.write(`echo-server: ${String(error)}\n`);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});

http.keepAliveTimeout = 60_000;
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

process.on('SIGTERM', () => {
  http.closeAllConnections();
  http.close(() => process.exit(0));
});
