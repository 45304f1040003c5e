// The last guard step: asks the user when policy says so, when the tool may change things, or when
// an earlier step (DLP `ask`) wants a person to decide. "Allow for this session" is remembered per
// session and bound to the tool's hash, so a tool that changes after approval is asked about again.
// No answer before the policy's timeout is a denial.
import { randomUUID } from 'node:crypto';
import type { ServerPolicy } from '../../policy/schema.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { ApprovalAnswer, Prompter } from '../../ports/prompter.js';
import type { GuardDecision, GuardedCall, GuardStep } from '../call-guard.js';
import { hashTool } from '../pinning/tool-hash.js';
import { compileToolPattern, type ToolPattern } from '../tool-pattern.js';
import type { ApprovalsPolicy } from './approval-policy.js';
import { mayChangeThings } from './destructive.js';

interface CompiledRule {
  server: ToolPattern;
  tool: ToolPattern;
  approval: 'never' | 'always' | 'destructive';
}

export class ApprovalStep implements GuardStep {
  readonly name = 'approval';
  private readonly rules: CompiledRule[];

  constructor(
    policy: ApprovalsPolicy,
    private readonly servers: ReadonlyMap<string, ServerPolicy>,
    private readonly prompter: Prompter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeoutMs = policy.timeoutSeconds * 1000,
  ) {
    this.rules = policy.rules.map((r) => ({ server: compileToolPattern(r.server), tool: compileToolPattern(r.tool), approval: r.approval }));
  }

  check(call: GuardedCall): GuardDecision | Promise<GuardDecision> {
    const rule = this.rules.find((r) => r.server(call.serverId) && r.tool(call.toolName))?.approval ?? 'never';
    const server = this.servers.get(call.serverId);
    const reasons: string[] = [];
    if (rule === 'always') reasons.push(`Policy asks you to approve every call of '${call.toolName}'.`);
    if (rule === 'destructive' && mayChangeThings(call.tool, server?.trustAnnotations === true)) {
      reasons.push(
        server?.trustAnnotations === true
          ? `'${call.toolName}' may change things (it does not say it only reads).`
          : `'${call.toolName}' may change things: policy does not take server '${call.serverId}' at its word that a tool only reads.`,
      );
    }
    const fromPolicy = reasons.length > 0;
    reasons.push(...(call.ask ?? []));
    if (reasons.length === 0) return { ok: true };
    // Only a policy prompt is remembered: what DLP found is about these arguments, not the tool.
    const memory = fromPolicy && call.ask === undefined ? `${call.serverId}\u0000${call.toolName}\u0000${call.tool ? hashTool(call.tool) : '?'}` : undefined;
    if (memory !== undefined && call.session.approvals.has(memory)) return { ok: true, note: { step: this.name, outcome: 'approved_for_session' } };
    return this.ask(call, reasons, memory);
  }

  private async ask(call: GuardedCall, reasons: string[], memory: string | undefined): Promise<GuardDecision> {
    const asked = this.clock.now();
    const note = (outcome: string) => ({ step: this.name, outcome, ms: Math.max(0, this.clock.now() - asked) });
    const controller = new AbortController();
    const timer = this.clock.setTimeout(() => controller.abort(new Error('no answer in time')), this.timeoutMs);
    const description = call.tool?.['description'];
    const title = call.tool?.['title'];
    const timedOut = new Promise<'timeout'>((resolve) => controller.signal.addEventListener('abort', () => resolve('timeout'), { once: true }));
    let answer: ApprovalAnswer | 'timeout';
    try {
      const request = {
        id: randomUUID(),
        client: { name: call.clientName, title: call.clientTitle },
        user: call.user,
        server: { id: call.serverId, name: this.servers.get(call.serverId)?.name },
        tool: { name: call.toolName, title: typeof title === 'string' ? title : undefined, description: typeof description === 'string' ? description : undefined },
        arguments: call.maskedArguments ?? call.arguments ?? {},
        reasons,
        expiresAt: this.clock.now() + this.timeoutMs,
      };
      answer = await Promise.race([this.prompter.approve(request, controller.signal), timedOut]);
    } catch (error) {
      this.logger.log('warn', 'the approval prompt failed; the call is denied', { server: call.serverId, tool: call.toolName, error: String(error) });
      answer = 'deny';
    } finally {
      timer.cancel();
      controller.abort(new Error('answered'));
    }
    if (answer === 'timeout') {
      return { ok: false, code: 'GATEHOUSE_APPROVAL_DENIED', message: `Nobody approved the call of '${call.toolName}' on server '${call.serverId}' within ${Math.round(this.timeoutMs / 1000)} s, so it was not made. Ask the user to watch for Gatehouse's prompt and try again.`, data: { reason: 'timeout' }, note: { ...note('timed_out'), code: 'GATEHOUSE_APPROVAL_DENIED' } };
    }
    if (answer === 'deny') {
      return { ok: false, code: 'GATEHOUSE_APPROVAL_DENIED', message: `The user denied the call of '${call.toolName}' on server '${call.serverId}'. Do not retry it unless the user asks you to.`, data: { reason: 'denied' }, note: { ...note('rejected'), code: 'GATEHOUSE_APPROVAL_DENIED' } };
    }
    if (answer === 'allow-session' && memory !== undefined) call.session.approvals.add(memory);
    return { ok: true, note: note(answer === 'allow-session' ? 'approved_for_session' : 'approved') };
  }
}
