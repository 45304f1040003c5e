// The local Streamable HTTP endpoint IDEs connect to: `/mcp` (every server the client may use) and
// `/mcp/<serverId>` (one server under its own names). Bound to 127.0.0.1 only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import { GatehouseError } from '../../../common/errors.js';
import { errorResponse, INVALID_REQUEST, isNotification, isRequest, isResponse, PARSE_ERROR, toMessage, type JsonRpcMessage } from '../mcp/jsonrpc.js';
import type { Logger } from '../ports/logger.js';
import type { BrokerSession } from '../session/broker-session.js';
import { EventStreamChannel, PostChannel } from '../session/downstream-channel.js';
import { checkRequest } from './request-gate.js';

export type Access = 'ok' | 'unknown' | 'forbidden';

export interface EndpointHost {
  authenticate(token: string): { name: string } | undefined;
  /** serverId undefined means the aggregate endpoint. */
  access(clientName: string, serverId: string | undefined): Access;
  createSession(clientName: string, serverId: string | undefined): BrokerSession;
}

export interface EndpointOptions {
  port: number;
  maxBodyBytes: number;
  host: EndpointHost;
  logger: Logger;
}

const PATH = /^\/mcp(?:\/([a-z0-9-]{1,24}))?\/?$/;
const SESSION_IDLE_MS = 60 * 60 * 1000;

export class HttpEndpoint {
  private server: Server | undefined;
  private port = 0;
  private readonly sessions = new Map<string, BrokerSession>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: EndpointOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  forEachSession(visit: (session: BrokerSession) => void): void {
    for (const session of this.sessions.values()) visit(session);
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  async listen(): Promise<number> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.options.logger.log('error', 'request handling failed', { error: String(error) });
        if (!res.headersSent) plain(res, 500, 'Internal error');
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 65_000;
    server.requestTimeout = 0; // a tool call may legitimately wait on the user for minutes
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'EADDRINUSE'
          ? new GatehouseError('GATEHOUSE_PORT_IN_USE', `port ${this.options.port} on 127.0.0.1 is already in use: stop the other program (or Gatehouse already running), or choose another port with --port`)
          : error);
      });
      server.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
    return this.port;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) {
      if (now - s.lastSeen > SESSION_IDLE_MS) {
        this.sessions.delete(id);
        void s.close();
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const gate = checkRequest(req.headers, this.port);
    if (!gate.ok) return plain(res, gate.status, gate.message, gate.status === 401 ? { 'www-authenticate': 'Bearer realm="gatehouse"' } : {});
    const client = this.options.host.authenticate(gate.token);
    if (!client) return plain(res, 401, 'Unauthorized: this client token is unknown or was revoked; run `gatehouse connect <client>` again.', { 'www-authenticate': 'Bearer realm="gatehouse", error="invalid_token"' });

    const match = PATH.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match) return plain(res, 404, 'Not found: the MCP endpoint is /mcp or /mcp/<serverId>.');
    const serverId = match[1];
    const access = this.options.host.access(client.name, serverId);
    if (access === 'unknown') return plain(res, 404, `Not found: no approved server '${serverId}'.`);
    if (access === 'forbidden') return plain(res, 403, `Forbidden: client '${client.name}' may not use server '${serverId}' under your organisation's policy.`);

    const version = header(req, 'mcp-protocol-version');
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return plain(res, 400, `Bad Request: unsupported MCP-Protocol-Version ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}).`);
    }

    switch (req.method) {
      case 'POST':
        return this.post(req, res, client.name, serverId);
      case 'GET': {
        const session = this.sessionFor(req, res, client.name, serverId);
        if (!session) return;
        if (!(header(req, 'accept') ?? '').includes('text/event-stream')) return plain(res, 406, 'Not Acceptable: GET opens an event stream; send Accept: text/event-stream.');
        session.attachStandingStream(new EventStreamChannel(res, { 'mcp-session-id': session.id }));
        return;
      }
      case 'DELETE': {
        const session = this.sessionFor(req, res, client.name, serverId);
        if (!session) return;
        this.sessions.delete(session.id);
        await session.close();
        return plain(res, 200, 'Session ended.');
      }
      default:
        return plain(res, 405, 'Method Not Allowed.', { allow: 'GET, POST, DELETE' });
    }
  }

  /** A session is found only by its id, for the same client, on the same endpoint path. */
  private sessionFor(req: IncomingMessage, res: ServerResponse, clientName: string, serverId: string | undefined): BrokerSession | undefined {
    const id = header(req, 'mcp-session-id');
    if (!id) {
      plain(res, 400, 'Bad Request: Mcp-Session-Id header is required; initialize first.');
      return undefined;
    }
    const session = this.sessions.get(id);
    if (!session || session.clientName !== clientName || session.serverId !== serverId) {
      jsonError(res, 404, 'Session not found: initialize a new session.');
      return undefined;
    }
    return session;
  }

  private async post(req: IncomingMessage, res: ServerResponse, clientName: string, serverId: string | undefined): Promise<void> {
    const type = header(req, 'content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/json')) return plain(res, 415, 'Unsupported Media Type: send Content-Type: application/json.');
    const declared = Number(header(req, 'content-length') ?? '0');
    const body = declared > this.options.maxBodyBytes ? undefined : await readBody(req, this.options.maxBodyBytes);
    if (body === undefined) {
      // Answer first, then drop the connection: the client is told why instead of seeing a reset.
      res.once('finish', () => req.destroy());
      return plain(res, 413, `Payload Too Large: the limit is ${this.options.maxBodyBytes} bytes (set endpoint.maxBodyBytes in policy).`, { connection: 'close' });
    }
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return jsonRpcError(res, 400, errorResponse(null, PARSE_ERROR, 'Parse error: the body is not valid JSON.'));
    }
    if (Array.isArray(value)) return jsonRpcError(res, 400, errorResponse(null, INVALID_REQUEST, 'Invalid Request: JSON-RPC batches are not supported by this protocol version.'));
    const parsed = toMessage(value);
    if (!parsed.ok) return jsonRpcError(res, 400, errorResponse(null, INVALID_REQUEST, `Invalid Request: ${parsed.reason}`));
    const message: JsonRpcMessage = parsed.message;

    if (isRequest(message) && message.method === 'initialize') {
      const requested = String(message.params?.['protocolVersion'] ?? '');
      const protocolVersion = SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
      const session = this.options.host.createSession(clientName, serverId);
      this.sessions.set(session.id, session);
      const response = await session.initialize(message, protocolVersion);
      if ('error' in response) {
        this.sessions.delete(session.id);
        void session.close();
        return jsonRpcError(res, 200, response);
      }
      return new PostChannel(res, { 'mcp-session-id': session.id }).send(response);
    }

    const session = this.sessionFor(req, res, clientName, serverId);
    if (!session) return;
    if (isRequest(message)) return session.handleRequest(message, new PostChannel(res, { 'mcp-session-id': session.id }));
    res.writeHead(202, { 'mcp-session-id': session.id }).end();
    if (isResponse(message)) await session.handleResponse(message);
    else if (isNotification(message)) await session.handleNotification(message);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function plain(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extra }).end(message + '\n');
}

function jsonError(res: ServerResponse, status: number, message: string): void {
  jsonRpcError(res, status, errorResponse(null, INVALID_REQUEST, message));
}

function jsonRpcError(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** Reads at most `limit` bytes; undefined when the body is larger (the rest is left unread). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
