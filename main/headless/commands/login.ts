// `gatehouse login [--no-browser]`: signs the user in at the organisation's IdP.
import { GatehouseError } from '../../../common/errors.js';
import type { Opener } from '../../core/ports/opener.js';
import type { Context } from '../../host/context.js';
import { auditFor } from '../../host/audit-host.js';
import { systemBrowser } from '../../host/system-browser.js';
import { describeSecrets, openIdentitySession, type IdentityFlags, type IdentityHostDeps } from '../../host/identity-host.js';

export interface LoginFlags extends IdentityFlags {
  'no-browser'?: boolean;
}

export async function login(ctx: Context, flags: LoginFlags, deps: IdentityHostDeps & { browser?: Opener } = {}): Promise<void> {
  const audit = await auditFor(ctx, flags);
  try {
    await signIn(ctx, flags, { ...deps, audit: audit.log });
  } finally {
    await audit.close();
  }
}

async function signIn(ctx: Context, flags: LoginFlags, deps: IdentityHostDeps & { browser?: Opener }): Promise<void> {
  const session = await openIdentitySession(ctx, flags, deps);
  const { secrets } = await session.status();
  if (secrets.backend === 'memory') {
    // A sign-in that cannot be kept would die with this command, leaving a live refresh token at the IdP.
    throw new GatehouseError(
      'GATEHOUSE_KEYCHAIN_UNAVAILABLE',
      `this sign-in could not be kept (${secrets.problem ?? 'the OS keychain is unavailable'}); sign in through the running Gatehouse instead: \`gatehouse serve\` prints a sign-in link when one is needed`,
    );
  }
  const browser = deps.browser ?? systemBrowser(ctx.platform);
  const opener: Opener = {
    async open(url) {
      if (flags['no-browser']) {
        ctx.out(`Open this URL in a browser to sign in; Gatehouse waits here until you have:\n${url.href}\n`);
        return;
      }
      ctx.out(`Opening the sign-in page in your browser. If it does not open, visit:\n${url.href}\n`);
      await browser.open(url).catch((error: unknown) => ctx.err(`gatehouse: could not start a browser (${(error as Error).message}); open the URL above yourself\n`));
    },
  };
  const cancel = new AbortController();
  const onSignal = () => cancel.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const status = await session.signIn({ opener, signal: cancel.signal });
    const who = status.name !== undefined ? `${status.name} (${status.subject})` : status.subject;
    ctx.out(`Signed in as ${who}. Roles: ${status.roles.length > 0 ? status.roles.join(', ') : '(none)'}.\n`);
    ctx.out(`Sign-in kept in: ${describeSecrets(status.secrets)}.\n`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
