// The UI calls of a headless broker (`serve`, `demo`): the core's UiService built from the parts this
// process runs (broker, sign-in, audit log, client registry, tool pins, prompt board), answered over
// loopback HTTP by the UI server of prompts-host.ts.
import { GATEHOUSE_VERSION } from '../../common/version.js';
import type { AuditLog } from '../core/audit/audit-log.js';
import type { IdentitySession } from '../core/identity/identity-session.js';
import type { Policy } from '../core/policy/schema.js';
import { systemClock } from '../core/ports/clock.js';
import type { PromptBoard } from '../core/prompts/prompt-board.js';
import { UiService } from '../core/ui/ui-service.js';
import type { RunningBroker } from '../host/broker-host.js';
import { cliCommand } from './commands/connect.js';
import type { Context } from '../host/context.js';

export interface HeadlessUiParts {
  policy: Policy;
  policySource: string;
  running: RunningBroker;
  board: PromptBoard;
  session?: IdentitySession | undefined;
  audit?: AuditLog;
  /** Starts a sign-in the way this host does (browser, or a printed link). */
  signIn?: () => void;
}

export function headlessUiService(ctx: Context, parts: HeadlessUiParts): UiService {
  const { running } = parts;
  return new UiService({
    version: GATEHOUSE_VERSION,
    policy: parts.policy,
    policySource: parts.policySource,
    broker: running.broker,
    board: parts.board,
    clients: running.clients,
    pinning: running.pinning,
    ...(parts.session ? { identity: parts.session } : {}),
    ...(parts.signIn ? { signIn: parts.signIn } : {}),
    ...(parts.audit ? { audit: parts.audit } : {}),
    ide: { environment: { homedir: ctx.homedir, platform: ctx.platform, env: ctx.env }, gatehouseCommand: cliCommand() },
    clock: systemClock,
    logger: ctx.logger,
  });
}
