// The guard pipeline for one tool call: small steps, each with a typed decision, run in the order
// DESIGN.md gives (authorization, rate limit, DLP, pinning, approval). The first refusal ends the
// call with a clear MCP error; a step may hand the next ones changed arguments (a redaction).
// Steps that need no I/O answer synchronously, so an ordinary call stays on the fast path.
import type { AuditStep } from '../../../common/audit-event.js';
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
  /** How the audit trail records this step; by default `deny` with the code. */
  note?: AuditStep;
  /** The arguments as DLP masked them, when DLP ran before the refusal and found something. */
  maskedArguments?: Params;
  /** Every step's decision, in order (set by the CallGuard on its final decision). */
  steps?: readonly AuditStep[];
}

export interface GuardPass {
  ok: true;
  /** Changed arguments (a redaction) for the next steps and the server. */
  arguments?: Params | undefined;
  maskedArguments?: Params | undefined;
  ask?: readonly string[] | undefined;
  /** How the audit trail records this step; by default `allow`. */
  note?: AuditStep;
  steps?: readonly AuditStep[];
}

export type GuardDecision = GuardPass | GuardRefusal;

export interface GuardStep {
  readonly name: string;
  check(call: GuardedCall): GuardDecision | Promise<GuardDecision>;
}

export class CallGuard {
  /** Shared, never mutated: most steps simply allow, and the fast path should not allocate for that. */
  private readonly allowNotes: readonly AuditStep[];

  constructor(private readonly steps: readonly GuardStep[]) {
    this.allowNotes = steps.map((step) => Object.freeze({ step: step.name, outcome: 'allow' }));
  }

  /** The final decision carries every step's decision (`steps`) and, when DLP masked anything, `maskedArguments`. */
  check(call: GuardedCall): GuardDecision | Promise<GuardDecision> {
    return this.from(0, call, false, []);
  }

  private from(index: number, call: GuardedCall, changed: boolean, steps: AuditStep[]): GuardDecision | Promise<GuardDecision> {
    for (let i = index; i < this.steps.length; i++) {
      const decision = this.steps[i]!.check(call);
      if (decision instanceof Promise) {
        return decision.then((d) => {
          steps.push(this.noteOf(i, d));
          return d.ok ? this.from(i + 1, merge(call, d), changed || d.arguments !== undefined, steps) : refusal(d, call, steps);
        });
      }
      steps.push(this.noteOf(i, decision));
      if (!decision.ok) return refusal(decision, call, steps);
      if (decision.arguments !== undefined || decision.maskedArguments !== undefined || decision.ask !== undefined) {
        call = merge(call, decision);
        changed ||= decision.arguments !== undefined;
      }
    }
    return { ok: true, ...(changed ? { arguments: call.arguments } : {}), ...(call.maskedArguments !== undefined ? { maskedArguments: call.maskedArguments } : {}), steps };
  }

  private noteOf(index: number, decision: GuardDecision): AuditStep {
    if (decision.note !== undefined) return decision.note;
    return decision.ok ? this.allowNotes[index]! : { step: this.steps[index]!.name, outcome: 'deny', code: decision.code };
  }
}

function refusal(decision: GuardRefusal, call: GuardedCall, steps: AuditStep[]): GuardRefusal {
  return { ...decision, ...(call.maskedArguments !== undefined ? { maskedArguments: call.maskedArguments } : {}), steps };
}

function merge(call: GuardedCall, pass: GuardPass): GuardedCall {
  return {
    ...call,
    ...(pass.arguments !== undefined ? { arguments: pass.arguments } : {}),
    ...(pass.maskedArguments !== undefined ? { maskedArguments: pass.maskedArguments } : {}),
    ...(pass.ask !== undefined ? { ask: [...(call.ask ?? []), ...pass.ask] } : {}),
  };
}
