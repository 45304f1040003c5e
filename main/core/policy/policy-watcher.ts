// MDM replaces the policy while Gatehouse runs. The watcher reads it again now and then; a new valid
// policy is applied (the host restarts the broker on it) and recorded as `policy.changed`; one that
// is broken or gone is recorded as `policy.rejected` and the running policy stays in force, so a bad
// push never leaves a laptop without controls.
import { canonicalJson, sha256Hex } from '../guard/pinning/tool-hash.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { LoadedPolicy } from './load.js';

export const DEFAULT_POLICY_CHECK_MS = 30_000;

export interface PolicyWatcherOptions {
  load: () => Promise<LoadedPolicy>;
  /** The policy in force now. */
  current: LoadedPolicy;
  /** Applies a new policy; the watcher waits for it before looking again. */
  apply: (next: LoadedPolicy) => Promise<void>;
  /** The audit trail in force now (it changes when a new policy is applied). */
  audit: () => AuditRecorder | undefined;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
}

export type PolicyCheck = 'unchanged' | 'changed' | 'rejected';

export function policyHash(loaded: LoadedPolicy): string {
  return sha256Hex(canonicalJson(loaded.policy));
}

export class PolicyWatcher {
  private hash: string;
  private source: string;
  /** The last rejection, so a broken file is reported once, not on every look. */
  private rejected: string | undefined;
  private timer: { cancel(): void } | undefined;
  private stopped = false;

  constructor(private readonly options: PolicyWatcherOptions) {
    this.hash = policyHash(options.current);
    this.source = options.current.source;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimeout(() => {
      // A failed apply was logged, and the host put the old policy back: look again later.
      void this.check()
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, this.options.intervalMs ?? DEFAULT_POLICY_CHECK_MS);
  }

  async check(): Promise<PolicyCheck> {
    let next: LoadedPolicy;
    try {
      next = await this.options.load();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message === this.rejected) return 'rejected';
      this.rejected = message;
      this.options.logger.log('error', `the new policy cannot be used, so the running one stays in force: ${message}`);
      const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
      void this.options.audit()?.record({ type: 'policy.rejected', decision: 'denied', ...(code ? { code } : {}), reason: message, details: { source: this.source, keeping: this.hash } });
      return 'rejected';
    }
    this.rejected = undefined;
    const hash = policyHash(next);
    if (hash === this.hash) return 'unchanged';
    this.options.logger.log('info', `the policy changed (${next.source}); applying it`);
    void this.options.audit()?.record({ type: 'policy.changed', decision: 'recorded', details: { source: next.source, from: this.hash, to: hash } });
    const previous = { hash: this.hash, source: this.source };
    this.hash = hash;
    this.source = next.source;
    try {
      await this.options.apply(next);
    } catch (error) {
      this.options.logger.log('error', `could not apply the new policy: ${error instanceof Error ? error.message : String(error)}`);
      Object.assign(this, previous);
      throw error;
    }
    return 'changed';
  }
}
