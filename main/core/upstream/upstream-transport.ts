import type { JsonRpcMessage, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from '../mcp/jsonrpc.js';

export interface RequestOptions {
  /** Messages the server sent on this request's own stream (progress, elicitation, logs...). */
  onRelated(message: JsonRpcMessage): void;
  signal: AbortSignal;
}

/**
 * One upstream MCP session over some wire transport. The session layer above never sees HTTP:
 * it sends requests and gets back their response plus whatever the server said about them.
 */
export interface UpstreamTransport {
  readonly kind: 'streamable-http' | 'sse';
  request(message: JsonRpcRequest, options: RequestOptions): Promise<JsonRpcResponse>;
  /** Notifications and responses to server-initiated requests. */
  send(message: JsonRpcNotification | JsonRpcResponse): Promise<void>;
  /** Starts delivering messages that belong to no request (list_changed, logs, async requests). */
  listen(onMessage: (message: JsonRpcMessage) => void, onLost: (error: Error) => void): void;
  setProtocolVersion(version: string): void;
  close(): Promise<void>;
}

/** The upstream answered with an HTTP status that is not part of a healthy exchange. */
export class UpstreamHttpError extends Error {
  override readonly name = 'UpstreamHttpError';
  constructor(readonly status: number, readonly body: string, readonly sessionExpired = false) {
    super(sessionExpired ? `upstream session expired (HTTP ${status})` : `upstream answered HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}
