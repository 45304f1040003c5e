// How a forwarded request ends up in the audit trail: its answer is held back until the event that
// records it is on disk, so no client ever holds an answer the log does not have.
import type { AuditStatus } from '../../../common/audit-event.js';
import { gatehouseErrorResponse, INTERNAL_ERROR, isResponse, type JsonRpcMessage, type JsonRpcResponse, type RequestId } from '../mcp/jsonrpc.js';
import type { DownstreamChannel } from './downstream-channel.js';

export interface CallOutcome {
  status: AuditStatus;
  /** The error's code: GATEHOUSE_… when Gatehouse refused or failed, `rpc:<n>` for a server's JSON-RPC error. */
  code?: string;
  reason?: string;
}

export function outcomeOf(response: JsonRpcResponse): CallOutcome {
  if ('error' in response) {
    const data = response.error.data as { code?: unknown } | undefined;
    const code = typeof data?.code === 'string' && data.code.startsWith('GATEHOUSE_') ? data.code : `rpc:${response.error.code}`;
    return { status: 'error', code, reason: response.error.message };
  }
  return (response.result as { isError?: unknown } | undefined)?.isError === true ? { status: 'tool_error' } : { status: 'ok' };
}

/**
 * Passes everything through, except that the final response waits for `record` to be durable.
 * When it cannot be written and policy requires auditing, the client gets an error instead: the
 * call ran upstream, but an answer the log does not hold is not handed out.
 * A class, not an object literal with getters: closures over each call's state made V8 keep every
 * call's objects alive into the old generation (measured: 12.5% of allocations promoted, 0.5% without).
 */
export class AuditedChannel implements DownstreamChannel {
  answered = false;

  constructor(
    private readonly inner: DownstreamChannel,
    private readonly id: RequestId,
    private readonly record: (outcome: CallOutcome) => Promise<void>,
  ) {}

  get open(): boolean {
    return this.inner.open;
  }

  send(message: JsonRpcMessage): void {
    if (!isResponse(message)) return this.inner.send(message);
    this.answered = true;
    this.record(outcomeOf(message)).then(
      () => this.inner.send(message),
      (error: unknown) => this.inner.send(withheld(this.id, error)),
    );
  }
}

function withheld(id: RequestId, error: unknown): JsonRpcResponse {
  return gatehouseErrorResponse(
    id,
    'GATEHOUSE_AUDIT_UNAVAILABLE',
    `The server ran the call, but Gatehouse withholds its answer because it could not be recorded in the audit log, which policy requires (${error instanceof Error ? error.message : String(error)})`,
    INTERNAL_ERROR,
  );
}
