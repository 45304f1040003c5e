// Serves an McpServer factory over Streamable HTTP on loopback, one McpServer and one transport per
// session, the way a real stateful MCP server behaves. Shared by the demo servers and, through a
// re-export, by the test fixtures, so both exercise the same session semantics.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport, localhostHostValidation } from '@modelcontextprotocol/node';

export const MCP_PATH = '/mcp';

/** One HTTP request as it reached the server, so a test can see which headers crossed a proxy. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  sessionId: string | undefined;
  /** The status the server answered with, once its headers were written. */
  status?: number;
}

export interface ServeMcpOptions {
  /** Listen on this port instead of an ephemeral one (how a crashed fixture comes back at the same URL). */
  port?: number;
  /** Append every request to this array. Off by default: a long-running demo must not hoard tokens. */
  record?: SeenRequest[];
}

export interface McpHttpServer {
  /** `http://127.0.0.1:PORT/mcp` */
  url: string;
  port: number;
  requestsSeen: readonly SeenRequest[];
  /** Every McpServer currently connected to a transport, initialized or not. */
  liveServers(): McpServer[];
  sessionIds(): string[];
  /** Standalone GET streams currently open; server-initiated notifications are dropped without one. */
  openStreams(): number;
  /** Resolves once at least `count` standalone GET streams are open. */
  waitForStreams(count: number): Promise<void>;
  /** Stops listening, destroys every socket, closes every session. Idempotent. */
  close(): Promise<void>;
}

interface Session {
  server: McpServer;
  transport: NodeStreamableHTTPServerTransport;
}

function sendJsonError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

// Node's ServerResponse emits no event when headers go out, and the SDK's adapter writes them from
// deep inside hono; wrapping writeHead is the one place to learn the status and the moment an SSE
// stream opens.
function onHeaders(res: ServerResponse, listener: (status: number) => void): void {
  const original = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]): ServerResponse {
    const result = Reflect.apply(original, this, args) as ServerResponse;
    listener(this.statusCode);
    return result;
  } as typeof res.writeHead;
}

export async function serveMcp(factory: () => McpServer, options: ServeMcpOptions = {}): Promise<McpHttpServer> {
  const sessions = new Map<string, Session>();
  const connected = new Set<McpServer>();
  const streamWaiters = new Set<() => void>();
  const requestsSeen = options.record ?? [];
  const validateHost = localhostHostValidation();
  let streams = 0;

  const streamOpened = (res: ServerResponse): void => {
    streams += 1;
    res.once('close', () => { streams -= 1; });
    for (const wake of streamWaiters) wake();
  };

  async function openSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const server = factory();
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => { sessions.set(id, { server, transport }); },
      onsessionclosed: (id) => { sessions.delete(id); },
    });
    connected.add(server);
    // McpServer.connect takes over the transport's callbacks, so cleanup hangs off the server.
    server.server.onclose = () => {
      connected.delete(server);
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
    // Anything but an initialize request was refused with 400 and created no session: drop it.
    if (transport.sessionId === undefined || !sessions.has(transport.sessionId)) await server.close();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    const seen: SeenRequest = { method: req.method ?? '', path, headers: { ...req.headers }, sessionId };
    requestsSeen.push(seen);
    onHeaders(res, (status) => {
      seen.status = status;
      if (req.method === 'GET' && status === 200) streamOpened(res);
    });

    if (!validateHost(req, res)) return;
    if (path !== MCP_PATH) return sendJsonError(res, 404, -32000, `Not found: MCP is served at ${MCP_PATH}`);
    if (sessionId !== undefined) {
      const session = sessions.get(sessionId);
      // The spec's answer to an unknown or expired session: 404, so the client starts a new one.
      if (session === undefined) return sendJsonError(res, 404, -32001, 'Session not found');
      return session.transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return sendJsonError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    return openSession(req, res);
  }

  const httpServer = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJsonError(res, 500, -32603, 'Internal server error');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Sockets first, abruptly: open SSE streams and keep-alive connections must not hold close().
      httpServer.closeAllConnections();
      await Promise.allSettled([...connected].map((server) => server.close()));
      sessions.clear();
      connected.clear();
      await stopped;
    })();
    return closing;
  };

  return {
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    port,
    requestsSeen,
    liveServers: () => [...connected],
    sessionIds: () => [...sessions.keys()],
    openStreams: () => streams,
    waitForStreams: (count) => new Promise<void>((resolve) => {
      const check = (): void => {
        if (streams < count) return;
        streamWaiters.delete(check);
        resolve();
      };
      streamWaiters.add(check);
      check();
    }),
    close,
  };
}
