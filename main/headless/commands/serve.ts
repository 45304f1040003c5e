// `gatehouse serve`: the broker, headless, until SIGINT/SIGTERM.
import { GATEHOUSE_VERSION } from '../../../common/version.js';
import type { IdentityStatus } from '../../core/identity/identity-types.js';
import { openSecretStore } from '../../core/secrets/open-secret-store.js';
import { consentOpener, startBroker } from '../broker-host.js';
import { dataDirOf, policyOf, type CommonFlags, type Context } from '../context.js';
import { SignInOffer } from '../sign-in-offer.js';
import { parsePromptsMode, startPrompts } from '../prompts-host.js';
import { systemBrowser } from '../system-browser.js';
import { parsePort } from './flags.js';
import { createIdentitySession, describeSecrets } from './identity-host.js';

export interface ServeFlags extends CommonFlags {
  port?: string;
  'insecure-dev-issuer'?: boolean;
  /** Print sign-in links without opening a browser (remote shells, containers). */
  'no-browser'?: boolean;
  /** Who answers approvals and servers' questions: browser (default), terminal or none. */
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
  const { policy, source } = await policyOf(ctx, flags);
  const needsSecrets = policy.identity !== undefined || policy.servers.some((server) => server.auth.mode === 'oauth');
  const secrets = needsSecrets ? await openSecretStore({ logger: ctx.logger }) : undefined;
  const browser = flags['no-browser'] ? undefined : systemBrowser(ctx.platform);
  const offer = new SignInOffer(ctx, browser);
  const prompts = await startPrompts(ctx, parsePromptsMode(flags.prompts), {
    opener: browser,
    allowLoopbackHttp: flags['insecure-dev-issuer'] === true,
    signIn: () => offer.offer('asked from the prompts page'),
  });
  const session = policy.identity && (await createIdentitySession(ctx, policy.identity, flags, { secrets, prompter: offer }));
  const running = await startBroker(ctx, policy, dataDir, parsePort(flags.port), {
    session,
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
  if (session) {
    offer.attach(session);
    if (!status?.signedIn) offer.offer('nobody is signed in');
  }
  await untilSignal(async () => {
    offer.stop();
    await running.stop();
    await prompts.stop();
  });
}

function describeSignIn(status: IdentityStatus): string {
  const kept = `sign-in kept in: ${describeSecrets(status.secrets)}`;
  if (!status.signedIn) return `Not signed in to ${status.issuer}: tools are hidden until you sign in (${kept}).`;
  const roles = status.roles.length > 0 ? status.roles.join(', ') : 'no roles';
  return `Signed in as ${status.name ?? status.subject} (${roles}); ${kept}.`;
}
