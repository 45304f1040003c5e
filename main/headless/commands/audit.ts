// `gatehouse audit tail|export|verify|status|sync|secret`: the audit trail on this computer, read
// beside a running broker (read-only, except sync, which shares the broker's outbox).
import { GatehouseError } from '../../../common/errors.js';
import type { SecretStore } from '../../core/ports/secret-store.js';
import type { CommonFlags, Context } from '../../host/context.js';
import { exportLog, type ExportFlags } from './audit/export.js';
import { auditFileOf } from './audit/open-log.js';
import { secret } from './audit/secret.js';
import { status } from './audit/status.js';
import { sync } from './audit/sync.js';
import { tail, type TailFlags } from './audit/tail.js';
import { verify } from './audit/verify.js';

export const AUDIT_USAGE = `usage:
  gatehouse audit tail [-n N] [--follow|-f] [--json] [--server ID] [--tool NAME] [--client NAME]
                       [--decision D] [--type T]     the last N events (default 20), oldest first; --follow prints
                                                     new ones until Ctrl-C; --json prints one event per line
  gatehouse audit export --format jsonl|otlp|ocsf [--since ISO] [--until ISO] [--out FILE]
                                                     the log as JSON lines: jsonl one event per line, otlp one
                                                     ExportLogsServiceRequest per 1000 events, ocsf one OCSF API
                                                     Activity (6003) per event; --out writes a 0600 file
  gatehouse audit verify [--json]                    check the hash chain; exits 1 at the first break
  gatehouse audit status [--json]                    events, pending, last success and error of shipping
  gatehouse audit sync --now [--json]                ship everything pending to the policy's collector now
  gatehouse audit secret set NAME | delete NAME      a collector header secret in the OS keychain (value on stdin)`;

export interface AuditFlags extends CommonFlags, TailFlags, ExportFlags {
  now?: boolean;
}

export interface AuditDeps {
  /** Stops `tail --follow`; the CLI aborts it on SIGINT/SIGTERM. */
  signal?: AbortSignal;
  /** How often `tail --follow` looks for new events. */
  pollMs?: number;
  secrets?: SecretStore;
  readSecret?: (prompt: string) => Promise<string>;
}

export async function audit(ctx: Context, action: string | undefined, args: string[], flags: AuditFlags, deps: AuditDeps = {}): Promise<void> {
  if (action !== 'secret' && args.length > 0) throw new GatehouseError('GATEHOUSE_USAGE', `unexpected '${args[0]}' after audit ${action ?? ''}\n${AUDIT_USAGE}`);
  switch (action) {
    case 'tail':
      return withSignal(deps.signal, async (signal) => tail(ctx, await auditFileOf(ctx, flags), flags, { signal, ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }) }));
    case 'export':
      return exportLog(ctx, await auditFileOf(ctx, flags), flags);
    case 'verify':
      return verify(ctx, await auditFileOf(ctx, flags), flags);
    case 'status':
      return status(ctx, await auditFileOf(ctx, flags), flags);
    case 'sync':
      return sync(ctx, await auditFileOf(ctx, flags), flags, deps.secrets ? { secrets: deps.secrets } : {});
    case 'secret':
      if (args.length > 2) throw new GatehouseError('GATEHOUSE_USAGE', 'the value is read from stdin, never from the command line (where other processes and the shell history see it): printf %s "$VALUE" | gatehouse audit secret set NAME');
      return secret(ctx, args[0], args[1], { ...(deps.secrets ? { secrets: deps.secrets } : {}), ...(deps.readSecret ? { readValue: deps.readSecret } : {}) });
    default:
      throw new GatehouseError('GATEHOUSE_USAGE', AUDIT_USAGE);
  }
}

/** The caller's signal, or one SIGINT/SIGTERM aborts for as long as `fn` runs. */
async function withSignal(given: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<void>): Promise<void> {
  if (given !== undefined) return fn(given);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await fn(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
