// `gatehouse whoami [--json]`: who is signed in, with which roles, until when, and where the sign-in
// is kept. Never prints a token. Exits 1 when nobody is signed in.
import type { IdentityStatus } from '../../core/identity/identity-types.js';
import type { Context } from '../../host/context.js';
import { describeSecrets, openIdentitySession, type IdentityFlags, type IdentityHostDeps } from '../../host/identity-host.js';

/** Returns the exit code: 0 signed in, 1 not signed in. */
export async function whoami(ctx: Context, flags: IdentityFlags & { json?: boolean }, deps: IdentityHostDeps = {}): Promise<number> {
  const session = await openIdentitySession(ctx, flags, deps);
  const status = await session.status();
  if (flags.json) ctx.out(JSON.stringify(status) + '\n');
  else ctx.out(describe(status, Date.now()));
  return status.signedIn ? 0 : 1;
}

function describe(status: IdentityStatus, now: number): string {
  const lines: string[] = [];
  if (!status.signedIn) {
    lines.push(
      status.secrets.backend === 'keychain'
        ? `Not signed in to ${status.issuer}. Run: gatehouse login`
        : `Not signed in to ${status.issuer}. Without the keychain, sign in through the running Gatehouse: \`gatehouse serve\` prints a sign-in link.`,
    );
  } else {
    lines.push(`Signed in to ${status.issuer}`);
    lines.push(`  subject:              ${status.subject}`);
    if (status.name !== undefined) lines.push(`  name:                 ${status.name}`);
    if (status.email !== undefined) lines.push(`  email:                ${status.email}`);
    lines.push(`  roles:                ${status.roles.length > 0 ? status.roles.join(', ') : '(none)'}`);
    if (status.accessTokenExpiresAt !== undefined) lines.push(`  access token expires: ${when(status.accessTokenExpiresAt, now)}`);
    if (status.idTokenExpiresAt !== undefined) lines.push(`  ID token expires:     ${when(status.idTokenExpiresAt, now)}`);
  }
  lines.push(`  secrets:              ${describeSecrets(status.secrets)}`);
  return lines.join('\n') + '\n';
}

function when(epochMs: number, now: number): string {
  const minutes = Math.round((epochMs - now) / 60_000);
  const relative = epochMs <= now ? 'expired; renewed on next use' : minutes < 1 ? 'in under a minute' : `in ${minutes} min`;
  return `${new Date(epochMs).toISOString()} (${relative})`;
}
