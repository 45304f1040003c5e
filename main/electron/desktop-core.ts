// The broker core of the desktop app: what `gatehouse serve` starts (policy, keychain, audit trail
// shipped to the collector, sign-in, broker, endpoint file), with the desktop's faces for the ports
// (prompt windows, the system browser through the shell, OS notifications) and the UI service the
// windows and the tray call. No Electron here: main.ts passes the ports in, and tests start it in
// plain Node.
import { GATEHOUSE_VERSION } from '../../common/version.js';
import { sinkSecretNames } from '../core/audit/sync/sink-headers.js';
import type { GatehouseCommand } from '../core/clients/ide/types.js';
import type { IdentitySession } from '../core/identity/identity-session.js';
import type { Policy } from '../core/policy/schema.js';
import { systemClock } from '../core/ports/clock.js';
import type { Opener } from '../core/ports/opener.js';
import { BoardPrompter } from '../core/prompts/board-prompter.js';
import { openSecretStore } from '../core/secrets/open-secret-store.js';
import { UiService } from '../core/ui/ui-service.js';
import { openAudit } from '../host/audit-host.js';
import { startBroker } from '../host/broker-host.js';
import { createIdentitySession } from '../host/identity-host.js';
import { dataDirOf, policyOf, type Context } from '../host/context.js';
import { SignInOffer } from '../host/sign-in-offer.js';
import type { Notify } from '../host/tool-pinning-host.js';

export interface DesktopCoreOptions {
  /** Development only (main.ts ignores them in a packaged app): another policy file and data dir. */
  policyPath?: string;
  dataDir?: string;
  /** Tests: another port than policy's (0 picks a free one). */
  port?: number;
  /** Development only: IdPs, consent pages and URL-mode links on plain-http loopback. */
  insecureDev: boolean;
}

/** The desktop's faces for the core's ports. */
export interface DesktopPorts {
  /** The system browser: sign-in, oauth consent, links the user consented to. */
  opener: Opener;
  /** A prompt was put up: bring the prompt window to the front. */
  showPrompts(): void;
  /** A notice for the user (a tool was put on hold). */
  notify: Notify;
  /** Nobody is signed in (or the sign-in ran out): tell the user; `start` opens the sign-in page. */
  askSignIn(reason: string, start: () => void): void;
  /** How a stdio IDE (Claude Desktop) launches Gatehouse. */
  gatehouseCommand: GatehouseCommand;
}

export interface DesktopCore {
  policy: Policy;
  policySource: string;
  /** The endpoint IDEs connect to. */
  url: string;
  ui: UiService;
  /** Closes upstream sessions, the endpoint and the UI, denies what is pending, flushes the audit trail. */
  stop(): Promise<void>;
}

export async function startDesktopCore(ctx: Context, options: DesktopCoreOptions, ports: DesktopPorts): Promise<DesktopCore> {
  const flags = {
    ...(options.policyPath !== undefined ? { policy: options.policyPath } : {}),
    ...(options.dataDir !== undefined ? { 'data-dir': options.dataDir } : {}),
    'insecure-dev-issuer': options.insecureDev,
  };
  const dataDir = await dataDirOf(ctx, flags);
  const { policy, source } = await policyOf(ctx, flags);
  const needsSecrets =
    policy.identity !== undefined || policy.servers.some((server) => server.auth.mode === 'oauth') || (policy.audit.sink !== undefined && sinkSecretNames(policy.audit.sink).length > 0);
  const secrets = needsSecrets ? await openSecretStore({ logger: ctx.logger }) : undefined;
  const audit = openAudit(ctx, policy, dataDir, { ...(secrets ? { secrets } : {}), ship: true, background: true });
  const started: Array<() => Promise<void> | void> = [() => audit.close()];
  try {
    const offer = new SignInOffer(ctx, ports.opener);
    started.push(() => offer.stop());
    const board = new BoardPrompter({
      opener: ports.opener,
      allowLoopbackHttp: options.insecureDev,
      logger: ctx.logger,
      signIn: () => offer.offer('asked from a Gatehouse window'),
      onShow: () => ports.showPrompts(),
    });
    started.push(() => board.close());
    const askSignIn = { requestSignIn: (reason: string) => ports.askSignIn(reason, () => offer.offer(reason)) };
    const session: IdentitySession | undefined =
      policy.identity && (await createIdentitySession(ctx, policy.identity, flags, { secrets, prompter: askSignIn, audit: audit.log }));
    const running = await startBroker(ctx, policy, dataDir, options.port, {
      session,
      audit: audit.log,
      policySource: source,
      secrets,
      opener: ports.opener,
      insecureDev: options.insecureDev,
      prompter: board,
      notify: ports.notify,
    });
    started.push(() => running.stop());
    const ui = new UiService({
      version: GATEHOUSE_VERSION,
      policy,
      policySource: source,
      broker: running.broker,
      board,
      clients: running.clients,
      pinning: running.pinning,
      ...(session ? { identity: session, signIn: () => offer.offer('asked from the dashboard') } : {}),
      audit: audit.log,
      ide: { environment: { homedir: ctx.homedir, platform: ctx.platform, env: ctx.env }, gatehouseCommand: ports.gatehouseCommand },
      clock: systemClock,
      logger: ctx.logger,
    });
    started.push(() => ui.close());
    ctx.logger.log('info', `Gatehouse ${GATEHOUSE_VERSION} listening on ${running.url}; policy from ${source}: ${policy.servers.length} server(s)`);
    if (session) {
      offer.attach(session);
      const status = await session.status();
      if (!status.signedIn) askSignIn.requestSignIn('nobody is signed in');
    }
    return { policy, policySource: source, url: running.url, ui, stop: () => stopAll(started, ctx) };
  } catch (error) {
    await stopAll(started, ctx);
    throw error;
  }
}

/** Stops what was started, last first; one failure does not keep the rest (the audit flush) from running. */
async function stopAll(started: Array<() => Promise<void> | void>, ctx: Context): Promise<void> {
  for (const stop of started.splice(0).reverse()) {
    try {
      await stop();
    } catch (error) {
      ctx.logger.log('error', 'could not stop part of Gatehouse cleanly', { error: String(error) });
    }
  }
}
