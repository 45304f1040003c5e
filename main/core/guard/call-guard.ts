// The guard pipeline for one tool call: small steps, each with a typed decision, run in the order
// DESIGN.md gives (authorization, rate limit, DLP, pinning, approval). The first refusal ends the
// call with a clear MCP error; a step may hand the next ones changed arguments (a redaction).
// Steps that need no I/O answer synchronously, so an ordinary call stays on the fast path.
import type { GatehouseErrorCode } from '../../../common/errors.js';
import type { Params } from '../mcp/jsonrpc.js';

export interface GuardedCall {
  clientName: string;
  /** The signed-in user's subject, when there is a sign-in. */
  user: string | undefined;
  serverId: string;
  /** The server's own name for the tool. */
  toolName: string;
  arguments: Params | undefined;
}

export interface GuardRefusal {
  ok: false;
  code: GatehouseErrorCode;
  message: string;
  /** Machine-readable details for the agent (e.g. retryAfterSeconds), beside the code. */
  data?: Record<string, unknown>;
}

export type GuardDecision = { ok: true; arguments?: Params | undefined } | GuardRefusal;

export interface GuardStep {
  readonly name: string;
  check(call: GuardedCall): GuardDecision | Promise<GuardDecision>;
}

const PASS: GuardDecision = { ok: true };

export class CallGuard {
  constructor(private readonly steps: readonly GuardStep[]) {}

  check(call: GuardedCall): GuardDecision | Promise<GuardDecision> {
    return this.from(0, call, false);
  }

  private from(index: number, call: GuardedCall, changed: boolean): GuardDecision | Promise<GuardDecision> {
    for (let i = index; i < this.steps.length; i++) {
      const decision = this.steps[i]!.check(call);
      if (decision instanceof Promise) return decision.then((d) => this.after(d, i, call, changed));
      if (!decision.ok) return decision;
      if (decision.arguments !== undefined) {
        call = { ...call, arguments: decision.arguments };
        changed = true;
      }
    }
    return changed ? { ok: true, arguments: call.arguments } : PASS;
  }

  private after(decision: GuardDecision, i: number, call: GuardedCall, changed: boolean): GuardDecision | Promise<GuardDecision> {
    if (!decision.ok) return decision;
    if (decision.arguments !== undefined) return this.from(i + 1, { ...call, arguments: decision.arguments }, true);
    return this.from(i + 1, call, changed);
  }
}
