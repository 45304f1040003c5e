// The guard steps built from the broker's own parts; DLP, pinning and approval add theirs.
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import type { ToolAccess } from './tool-access.js';
import type { GuardStep } from './call-guard.js';

export function authorizationStep(access: ToolAccess): GuardStep {
  return {
    name: 'authorization',
    check(call) {
      const refusal = access.check(call.serverId, call.toolName);
      return refusal === undefined ? { ok: true } : { ok: false, code: refusal.code, message: refusal.message };
    },
  };
}

/** Calls without a sign-in are counted under one name, so limits still apply to them. */
const NO_USER = 'local-user';

export function rateLimitStep(limiter: RateLimiter): GuardStep {
  return {
    name: 'rate-limit',
    check(call) {
      const decision = limiter.take({ user: call.user ?? NO_USER, client: call.clientName, serverId: call.serverId, toolName: call.toolName });
      if (decision.ok) return { ok: true };
      return { ok: false, code: decision.code, message: decision.message, data: { retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000) } };
    },
  };
}

/**
 * First of all: while the user has paused Gatehouse (tray or dashboard), every call is held back,
 * whoever makes it. Nothing is forwarded, and the agent is told why and what to do.
 */
export function pauseStep(isPaused: () => boolean): GuardStep {
  return {
    name: 'pause',
    check() {
      if (!isPaused()) return { ok: true };
      return {
        ok: false,
        code: 'GATEHOUSE_TOOLS_PAUSED',
        message: 'The user has paused Gatehouse, so no tool calls are made for now. Tell the user the call was held, and try again after they resume tools in Gatehouse.',
      };
    },
  };
}
