// Tool pinning as a step of the call guard (call-guard.ts): a call goes through only when the
// definition this session's server last listed for the tool is the approved one.
import type { GuardDecision, GuardStep } from '../call-guard.js';
import type { ToolPinning } from './tool-pinning.js';
import type { PinRefusal } from './types.js';

const decision = (refusal: PinRefusal | undefined): GuardDecision =>
  refusal === undefined ? { ok: true } : { ok: false, code: refusal.code, message: refusal.message };

export function pinningStep(pinning: ToolPinning): GuardStep {
  return {
    name: 'pinning',
    check(call) {
      const refusal = pinning.checkTool(call.serverId, call.toolName, call.tool);
      return refusal instanceof Promise ? refusal.then(decision) : decision(refusal);
    },
  };
}
