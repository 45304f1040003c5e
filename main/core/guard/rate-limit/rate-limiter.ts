// The rate-limit step: every rule that matches a call must have room for it, in its bucket and in
// its daily quota. A call refused by one rule takes nothing from the others, so a refusal never
// uses up allowance. Counts live in memory: a restart forgives, which errs toward the user.
import type { Clock } from '../../ports/clock.js';
import { compileToolPattern, type ToolPattern } from '../tool-pattern.js';
import type { RateLimitsPolicy } from './rate-limit-policy.js';
import { TokenBucket } from './token-bucket.js';

export interface RateLimitedCall {
  /** The signed-in user's subject, or a fixed name when there is no sign-in. */
  user: string;
  client: string;
  serverId: string;
  toolName: string;
}

export type RateDecision = { ok: true } | { ok: false; code: 'GATEHOUSE_RATE_LIMITED'; message: string; retryAfterMs: number };

interface Rule {
  matches(call: RateLimitedCall): boolean;
  /** Which counter a call belongs to under this rule. */
  key(call: RateLimitedCall): string;
  describe(call: RateLimitedCall): string;
  perMinute: number | undefined;
  burst: number | undefined;
  perDay: number | undefined;
}

const DAY_MS = 86_400_000;
/** Full buckets are dropped now and then, so a long-running broker does not keep one per past call. */
const SWEEP_EVERY = 10_000;

export class RateLimiter {
  private readonly rules: Rule[];
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly daily = new Map<string, { day: number; count: number }>();
  private calls = 0;

  constructor(policy: RateLimitsPolicy, private readonly clock: Clock) {
    this.rules = [
      ...policy.tools.map((r, i): Rule => {
        const server = compileToolPattern(r.server);
        const tool = compileToolPattern(r.tool);
        return {
          matches: (c) => server(c.serverId) && tool(c.toolName),
          key: (c) => `t${i}\u0000${c.user}\u0000${c.serverId}\u0000${c.toolName}`,
          describe: (c) => `'${c.toolName}' of server '${c.serverId}'`,
          perMinute: r.perMinute,
          burst: r.burst,
          perDay: r.perDay,
        };
      }),
      ...policy.clients.map((r, i): Rule => {
        const client: ToolPattern = compileToolPattern(r.client);
        return {
          matches: (c) => client(c.client),
          key: (c) => `c${i}\u0000${c.client}`,
          describe: (c) => `client '${c.client}'`,
          perMinute: r.perMinute,
          burst: r.burst,
          perDay: r.perDay,
        };
      }),
    ];
  }

  get enabled(): boolean {
    return this.rules.length > 0;
  }

  take(call: RateLimitedCall): RateDecision {
    if (this.rules.length === 0) return { ok: true };
    const now = this.clock.now();
    if (++this.calls % SWEEP_EVERY === 0) this.sweep(now);
    const day = Math.floor(now / DAY_MS);
    const taken: Array<() => void> = [];
    for (const rule of this.rules) {
      if (!rule.matches(call)) continue;
      const key = rule.key(call);
      if (rule.perDay !== undefined) {
        const count = this.daily.get(key);
        const used = count?.day === day ? count.count : 0;
        if (used >= rule.perDay) {
          for (const undo of taken) undo();
          const retryAfterMs = (day + 1) * DAY_MS - now;
          return refusal(`the daily quota of ${rule.perDay} calls for ${rule.describe(call)} is used up; it resets at ${new Date((day + 1) * DAY_MS).toISOString()} (in ${humanDuration(retryAfterMs)})`, retryAfterMs);
        }
      }
      if (rule.perMinute !== undefined) {
        let bucket = this.buckets.get(key);
        if (!bucket) {
          bucket = new TokenBucket(rule.burst ?? Math.max(1, Math.ceil(rule.perMinute)), rule.perMinute / 60, now);
          this.buckets.set(key, bucket);
        }
        const took = bucket.take(now);
        if (!took.ok) {
          for (const undo of taken) undo();
          return refusal(`${rule.describe(call)} may be called ${rule.perMinute} times a minute; try again in ${humanDuration(took.retryAfterMs)}`, took.retryAfterMs);
        }
        const b = bucket;
        taken.push(() => b.giveBack());
      }
      if (rule.perDay !== undefined) {
        const count = this.daily.get(key);
        const next = { day, count: (count?.day === day ? count.count : 0) + 1 };
        this.daily.set(key, next);
        taken.push(() => (next.count -= 1));
      }
    }
    return { ok: true };
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
    const today = Math.floor(now / DAY_MS);
    for (const [key, count] of this.daily) if (count.day !== today) this.daily.delete(key);
  }
}

function refusal(what: string, retryAfterMs: number): RateDecision {
  return { ok: false, code: 'GATEHOUSE_RATE_LIMITED', message: `Rate limit reached: ${what}.`, retryAfterMs };
}

function humanDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 90) return `${s} s`;
  const m = Math.ceil(s / 60);
  return m < 90 ? `${m} min` : `${Math.ceil(m / 60)} h`;
}
