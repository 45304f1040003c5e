// The guard pipeline for one tool call: small steps, each with a typed decision, run in the order
// DESIGN.md gives (authorization, rate limit, DLP, pinning, approval). The first refusal ends the
// call with a clear MCP error; a step may hand the next ones changed arguments (a redaction).
// Steps that need no I/O answer synchronously, so an ordinary call stays on the fast path.
import type { GatehouseErrorCode } from '../../../common/errors.js';
import type { Params } from '../mcp/jsonrpc.js';
import type { ToolDefinition } from './pinning/tool-hash.js';

export interface GuardedCall {
  clientName: string;
  /** What the client says it is (clientInfo title or name), for prompts. */
  clientTitle?: string | undefined;
  /** The signed-in user's subject, when there is a sign-in. */
  user: string | undefined;
  serverId: string;
  /** The server's own name for the tool. */
  toolName: string;
  arguments: Params | undefined;
  /** The tool as its server last listed it; undefined when the server does not list it. */
  tool?: ToolDefinition | undefined;
  /** The arguments with every DLP match masked: what a prompt may show. */
  maskedArguments?: Params | undefined;
  /** Reasons earlier steps want a person to decide (DLP `ask`); the approval step asks once for all. */
  ask?: readonly string[] | undefined;
  /** The downstream session: what the user allowed "for this session". */
  session: { id: string; approvals: Set<string> };
}

export interface GuardRefusal {
  ok: false;
  code: GatehouseErrorCode;
  message: string;
  /** Machine-readable details for the agent (e.g. retryAfterSeconds), beside the code. */
  data?: Record<string, unknown>;
}

export interface GuardPass {
  ok: true;
  /** Changed arguments (a redaction) for the next steps and the server. */
  arguments?: Params | undefined;
  maskedArguments?: Params | undefined;
  ask?: readonly string[] | undefined;
}

export type GuardDecision = GuardPass | GuardRefusal;

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
      if (decision instanceof Promise) return decision.then((d) => (d.ok ? this.from(i + 1, merge(call, d), changed || d.arguments !== undefined) : d));
      if (!decision.ok) return decision;
      if (decision.arguments !== undefined || decision.maskedArguments !== undefined || decision.ask !== undefined) {
        call = merge(call, decision);
        changed ||= decision.arguments !== undefined;
      }
    }
    return changed ? { ok: true, arguments: call.arguments } : PASS;
  }
}

function merge(call: GuardedCall, pass: GuardPass): GuardedCall {
  return {
    ...call,
    ...(pass.arguments !== undefined ? { arguments: pass.arguments } : {}),
    ...(pass.maskedArguments !== undefined ? { maskedArguments: pass.maskedArguments } : {}),
    ...(pass.ask !== undefined ? { ask: [...(call.ask ?? []), ...pass.ask] } : {}),
  };
}
