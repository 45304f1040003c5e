// A deliberately thin MCP client for load: raw Streamable HTTP over an undici Pool with
// keep-alive, so the bench measures the servers and not an SDK Client's own overhead.
// Every answer is checked to echo its input; a failed check is an error, never a sample.
import { performance } from 'node:perf_hooks';
import { Pool, type Dispatcher } from 'undici';
import { findResponse, toolResultText, type JsonRpcResponse } from './jsonrpc-body.js';

type IncomingHttpHeaders = Dispatcher.ResponseData['headers'];

export const PROTOCOL_VERSION = '2025-11-25';
const ACCEPT = 'application/json, text/event-stream';
// Long enough for a 1 MB call on a loaded 2-core machine, short enough that a hung call fails
// the bench instead of stalling it past its time budget.
const CALL_TIMEOUT_MS = 15_000;

export interface EndpointTarget {
  /** Shown in errors: "direct", "gatehouse /mcp"... */
  label: string;
  url: string;
  /** Sent on every request, e.g. the Gatehouse client token. */
  headers: Record<string, string>;
  /** The echo tool's name as this endpoint lists it (`echo`, or `echo__echo` when aggregated). */
  toolName: string;
}

export class McpCallError extends Error {
  constructor(endpoint: string, message: string, options?: { cause: unknown }) {
    super(`${endpoint}: ${message}`, options);
    this.name = 'McpCallError';
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class McpEndpoint {
  readonly target: EndpointTarget;
  private readonly pool: Pool;
  private readonly path: string;

  /** `connections` bounds the sockets; it must cover the concurrency or calls queue client-side. */
  constructor(target: EndpointTarget, connections: number) {
    this.target = target;
    const url = new URL(target.url);
    this.path = `${url.pathname}${url.search}`;
    this.pool = new Pool(url.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: CALL_TIMEOUT_MS,
      bodyTimeout: CALL_TIMEOUT_MS,
    });
  }

  /** POSTs one JSON-RPC message; returns status, headers and the whole body as text. */
  async post(
    message: object,
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
    const res = await this.pool.request({
      path: this.path,
      method: 'POST',
      headers: { ...this.target.headers, ...headers, 'content-type': 'application/json', accept: ACCEPT },
      body: JSON.stringify(message),
    });
    const body = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body };
  }

  /** initialize + notifications/initialized, as an IDE agent would. */
  async openSession(clientName: string): Promise<McpSession> {
    const label = this.target.label;
    const init = await this.post(
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: clientName, version: '1.0.0' } },
      },
      {},
    );
    if (init.status !== 200) throw new McpCallError(label, `initialize answered HTTP ${init.status}: ${init.body.slice(0, 300)}`);
    const sessionId = header(init.headers, 'mcp-session-id');
    if (sessionId === undefined) throw new McpCallError(label, 'initialize answered without an mcp-session-id header');
    const response = findResponse(init.body, header(init.headers, 'content-type') ?? '', 0);
    if (response.error) throw new McpCallError(label, `initialize failed: ${response.error.message}`);
    const negotiated = (response.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    const protocolVersion = typeof negotiated === 'string' ? negotiated : PROTOCOL_VERSION;
    const sessionHeaders = { 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion };
    const initialized = await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionHeaders);
    if (initialized.status !== 202 && initialized.status !== 200) {
      throw new McpCallError(label, `notifications/initialized answered HTTP ${initialized.status}: ${initialized.body.slice(0, 300)}`);
    }
    return new McpSession(this, sessionHeaders);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

export class McpSession {
  private nextId = 1;

  constructor(
    private readonly endpoint: McpEndpoint,
    private readonly sessionHeaders: Record<string, string>,
  ) {}

  /**
   * Calls the echo tool with `text` and returns the latency in ms: from sending the request to
   * having its response parsed. The echo check runs after the clock stops, as it is the same
   * work on both paths and no part of what the server costs.
   */
  async echo(text: string): Promise<number> {
    const { label, toolName } = this.endpoint.target;
    const id = this.nextId++;
    const started = performance.now();
    let response: JsonRpcResponse;
    try {
      const res = await this.endpoint.post(
        { jsonrpc: '2.0', id, method: 'tools/call', params: { name: toolName, arguments: { text } } },
        this.sessionHeaders,
      );
      if (res.status !== 200) throw new McpCallError(label, `tools/call answered HTTP ${res.status}: ${res.body.slice(0, 300)}`);
      response = findResponse(res.body, header(res.headers, 'content-type') ?? '', id);
    } catch (error) {
      if (error instanceof McpCallError) throw error;
      throw new McpCallError(label, `tools/call failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const elapsed = performance.now() - started;
    if (response.error) throw new McpCallError(label, `tools/call error ${response.error.code}: ${response.error.message}`);
    let echoed: string;
    try {
      echoed = toolResultText(response.result);
    } catch (error) {
      throw new McpCallError(label, error instanceof Error ? error.message : String(error));
    }
    if (echoed !== text) {
      throw new McpCallError(label, `echo mismatch: sent ${text.length} chars, got ${echoed.length} (${JSON.stringify(echoed.slice(0, 40))}...)`);
    }
    return elapsed;
  }
}
