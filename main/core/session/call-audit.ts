// How a forwarded request ends up in the audit trail: its answer is held back until the event that
// records it is on disk, so no client ever holds an answer the log does not have.
import type { AuditStatus } from '../../../common/audit-event.js';
import { gatehouseErrorResponse, INTERNAL_ERROR, isResponse, type JsonRpcResponse, type RequestId } from '../mcp/jsonrpc.js';
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
 */
export function auditedChannel(inner: DownstreamChannel, id: RequestId, record: (outcome: CallOutcome) => Promise<void>): DownstreamChannel & { readonly answered: boolean } {
  let answered = false;
  return {
    get open() {
      return inner.open;
    },
    get answered() {
      return answered;
    },
    send(message) {
      if (!isResponse(message)) return inner.send(message);
      answered = true;
      record(outcomeOf(message)).then(
        () => inner.send(message),
        (error: unknown) =>
          inner.send(
            gatehouseErrorResponse(
              id,
              'GATEHOUSE_AUDIT_UNAVAILABLE',
              `The server ran the call, but Gatehouse withholds its answer because it could not be recorded in the audit log, which policy requires (${error instanceof Error ? error.message : String(error)})`,
              INTERNAL_ERROR,
            ),
          ),
      );
    },
  };
}
