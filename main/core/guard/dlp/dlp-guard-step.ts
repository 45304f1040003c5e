// DLP as a step of the call guard (call-guard.ts): a block refuses the call with
// GATEHOUSE_DLP_BLOCKED, a redaction hands the next steps changed arguments, and `ask` passes the
// question on to the approval step, which asks the user once for everything.
import type { Params } from '../../mcp/jsonrpc.js';
import type { GuardDecision, GuardStep } from '../call-guard.js';
import type { DlpDecision, DlpReportedFinding, DlpStep } from './dlp-step.js';

/** What the agent and the audit trail may see of a finding (never the value itself). */
export function findingSummary(f: DlpReportedFinding): Record<string, unknown> {
  return { detector: f.detectorId, path: f.path, preview: f.preview, action: f.action, ...(f.encoding !== undefined ? { encoding: f.encoding } : {}), ...(f.inKey === true ? { inKey: true } : {}) };
}

export function dlpGuardStep(step: DlpStep, onFindings?: (decision: Exclude<DlpDecision, { kind: 'allow' }>) => void): GuardStep {
  return {
    name: 'dlp',
    check(call): GuardDecision {
      const decision = step.checkToolCall(call.serverId, call.toolName, call.arguments);
      if (decision.kind === 'allow') return { ok: true };
      onFindings?.(decision);
      // The audit trail names the detectors, never what they matched.
      const note = { step: 'dlp', outcome: decision.kind, detectors: [...new Set(decision.findings.map((f) => f.detectorId))] };
      switch (decision.kind) {
        case 'block':
          return { ok: false, code: decision.code, message: decision.message, data: { findings: decision.findings.map(findingSummary) }, note: { ...note, code: decision.code } };
        case 'ask':
          return {
            ok: true,
            ...(decision.arguments !== call.arguments ? { arguments: decision.arguments as Params } : {}),
            maskedArguments: decision.maskedArguments as Params,
            ask: [decision.question],
            note,
          };
        case 'redact':
          return { ok: true, arguments: decision.arguments as Params, maskedArguments: decision.maskedArguments as Params, note };
        case 'log':
          return { ok: true, maskedArguments: decision.maskedArguments as Params, note };
      }
    },
  };
}
