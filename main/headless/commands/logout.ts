// `gatehouse logout`: revokes the sign-in at the IdP (when it supports revocation) and removes it
// from this computer, whether or not the IdP could be told.
import { forgetServerTokens } from '../../core/identity/oauth/token-vault.js';
import { openSecretStore } from '../../core/secrets/open-secret-store.js';
import { dataDirOf, policyOf, type Context } from '../../host/context.js';
import { openAudit } from '../../host/audit-host.js';
import { createIdentitySession, requireIdentity, type IdentityFlags, type IdentityHostDeps } from '../../host/identity-host.js';

export async function logout(ctx: Context, flags: IdentityFlags, deps: IdentityHostDeps = {}): Promise<void> {
  const { policy, source } = await policyOf(ctx, flags);
  const config = requireIdentity(policy, source);
  const secrets = deps.secrets ?? (await openSecretStore({ logger: ctx.logger }));
  const audit = openAudit(ctx, policy, await dataDirOf(ctx, flags));
  const session = await createIdentitySession(ctx, config, flags, { ...deps, secrets, audit: audit.log });
  const result = await session.signOut().finally(() => audit.close());
  // Tokens the user consented to for servers outside the IdP are theirs too: they go with the sign-in.
  for (const server of policy.servers) {
    if (server.auth.mode === 'oauth') await forgetServerTokens(secrets, server.id, server.url, ctx.logger);
  }
  if (!result.wasSignedIn) return ctx.out('You were not signed in. Nothing to do.\n');
  if (result.revokedAtIdp) return ctx.out('Signed out: the IdP revoked your sign-in and it was removed from this computer.\n');
  ctx.out(`Signed out on this computer, but ${result.problem ?? 'the IdP was not told'}.\n`);
}
