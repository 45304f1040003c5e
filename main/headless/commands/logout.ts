// `gatehouse logout`: revokes the sign-in at the IdP (when it supports revocation) and removes it
// from this computer, whether or not the IdP could be told.
import type { Context } from '../context.js';
import { openIdentitySession, type IdentityFlags, type IdentityHostDeps } from './identity-host.js';

export async function logout(ctx: Context, flags: IdentityFlags, deps: IdentityHostDeps = {}): Promise<void> {
  const session = await openIdentitySession(ctx, flags, deps);
  const result = await session.signOut();
  if (!result.wasSignedIn) return ctx.out('You were not signed in. Nothing to do.\n');
  if (result.revokedAtIdp) return ctx.out('Signed out: the IdP revoked your sign-in and it was removed from this computer.\n');
  ctx.out(`Signed out on this computer, but ${result.problem ?? 'the IdP was not told'}.\n`);
}
