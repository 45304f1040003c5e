// `gatehouse serve`: the broker, headless, until SIGINT/SIGTERM.
import { GATEHOUSE_VERSION } from '../../../common/version.js';
import type { IdentityStatus } from '../../core/identity/identity-types.js';
import { openSecretStore } from '../../core/secrets/open-secret-store.js';
import { consentOpener, startBroker } from '../../host/broker-host.js';
import { dataDirOf, policyOf, type CommonFlags, type Context } from '../../host/context.js';
import { SignInOffer } from '../../host/sign-in-offer.js';
import { parsePromptsMode, startPrompts } from '../prompts-host.js';
import { systemBrowser } from '../../host/system-browser.js';
import { parsePort } from './flags.js';
import { createIdentitySession, describeSecrets } from '../../host/identity-host.js';
import { openAudit } from '../../host/audit-host.js';
import type { AuditLog } from '../../core/audit/audit-log.js';
import type { LoadedPolicy } from '../../core/policy/load.js';
import { DEFAULT_POLICY_CHECK_MS, PolicyWatcher } from '../../core/policy/policy-watcher.js';
import { systemClock } from '../../core/ports/clock.js';
import { auditFile } from '../../core/audit/audit-file.js';
import { sinkSecretNames } from '../../core/audit/sync/sink-headers.js';
import { headlessUiService } from '../ui-host.js';

export interface ServeFlags extends CommonFlags {
  port?: string;
  'insecure-dev-issuer'?: boolean;
  /** Print sign-in links without opening a browser (remote shells, containers). */
  'no-browser'?: boolean;
  /** Who answers approvals and servers' questions: browser (default, with the dashboard), terminal or none. */
  prompts?: string;
}

export function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void stop().finally(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function serve(ctx: Context, flags: ServeFlags): Promise<void> {
  const dataDir = await dataDirOf(ctx, flags);
  const loaded = await policyOf(ctx, flags);
  let serving = await startServing(ctx, flags, dataDir, loaded, parsePort(flags.port));
  const watcher = new PolicyWatcher({
    load: () => policyOf(ctx, flags),
    current: loaded,
    audit: () => serving.audit,
    clock: systemClock,
    logger: ctx.logger,
    intervalMs: policyCheckMs(ctx),
    async apply(next) {
      const previous = serving;
      // `--port 0` picked a free port once: IDEs were told that one, so it is kept.
      const port = parsePort(flags.port) === 0 ? previous.port : parsePort(flags.port);
      await previous.stop();
      try {
        serving = await startServing(ctx, flags, dataDir, next, port);
      } catch (error) {
        // The new policy could not be served (its port is taken, say): the old one goes back in force.
        serving = await startServing(ctx, flags, dataDir, previous.loaded, port);
        throw error;
      }
    },
  });
  watcher.start();
  await untilSignal(async () => {
    watcher.stop();
    await serving.stop();
  });
}

interface Serving {
  loaded: LoadedPolicy;
  port: number;
  audit: AuditLog;
  stop(): Promise<void>;
}

/** Everything `serve` runs for one policy: stopped and started again when the policy changes. */
async function startServing(ctx: Context, flags: ServeFlags, dataDir: string, loaded: LoadedPolicy, port: number | undefined): Promise<Serving> {
  const { policy, source } = loaded;
  const needsSecrets =
    policy.identity !== undefined || policy.servers.some((server) => server.auth.mode === 'oauth') || (policy.audit.sink !== undefined && sinkSecretNames(policy.audit.sink).length > 0);
  const secrets = needsSecrets ? await openSecretStore({ logger: ctx.logger }) : undefined;
  const audit = openAudit(ctx, policy, dataDir, { ...(secrets ? { secrets } : {}), ship: true, background: true });
  const browser = flags['no-browser'] ? undefined : systemBrowser(ctx.platform);
  const offer = new SignInOffer(ctx, browser);
  const prompts = await startPrompts(ctx, parsePromptsMode(flags.prompts), {
    opener: browser,
    allowLoopbackHttp: flags['insecure-dev-issuer'] === true,
    signIn: () => offer.offer('asked from the prompts page'),
  });
  const session = policy.identity && (await createIdentitySession(ctx, policy.identity, flags, { secrets, prompter: offer, audit: audit.log }));
  const running = await startBroker(ctx, policy, dataDir, port, {
    session,
    audit: audit.log,
    policySource: source,
    secrets,
    opener: consentOpener(ctx),
    insecureDev: flags['insecure-dev-issuer'] === true,
    prompter: prompts.prompter,
    ...(prompts.notify ? { notify: prompts.notify } : {}),
  });
  ctx.logger.log('info', `policy from ${source}: ${policy.servers.length} server(s)`);
  const status = await session?.status();
  ctx.out(`Gatehouse ${GATEHOUSE_VERSION} listening on ${running.url}\n`);
  if (status) ctx.out(`${describeSignIn(status)}\n`);
  ctx.out(`Per-server endpoints: ${policy.servers.map((s) => `${running.url}/${s.id}`).join(', ') || '(no servers in policy)'}\n`);
  ctx.out(`Audit log: ${auditFile(dataDir)}${policy.audit.sink ? `, shipped to ${new URL(policy.audit.sink.url).origin}` : ' (kept on this machine; no collector in policy)'}\n`);
  const calls = headlessUiService(ctx, {
    policy,
    policySource: source,
    running,
    board: prompts.board,
    session,
    audit: audit.log,
    signIn: () => offer.offer('asked from the dashboard'),
  });
  // With --prompts browser the same page shows the dashboard: one link signs one browser in.
  const ui = await prompts.serveUi?.(calls).catch(() => undefined);
  if (ui) ctx.out(`Dashboard: ${ui.link()}\n`);
  if (session) {
    offer.attach(session);
    if (!status?.signedIn) offer.offer('nobody is signed in');
  }
  return {
    loaded,
    port: Number(new URL(running.url).port),
    audit: audit.log,
    async stop() {
      offer.stop();
      await running.stop();
      await prompts.stop();
      calls.close();
      await audit.close();
    },
  };
}

/** How often the policy is read again: every 30 s, or GATEHOUSE_POLICY_CHECK_MS (tests). */
function policyCheckMs(ctx: Context): number {
  const ms = Number(ctx.env['GATEHOUSE_POLICY_CHECK_MS']);
  return Number.isInteger(ms) && ms >= 50 ? ms : DEFAULT_POLICY_CHECK_MS;
}


function describeSignIn(status: IdentityStatus): string {
  const kept = `sign-in kept in: ${describeSecrets(status.secrets)}`;
  if (!status.signedIn) return `Not signed in to ${status.issuer}: tools are hidden until you sign in (${kept}).`;
  const roles = status.roles.length > 0 ? status.roles.join(', ') : 'no roles';
  return `Signed in as ${status.name ?? status.subject} (${roles}); ${kept}.`;
}
