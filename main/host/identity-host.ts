// What login, logout, whoami and the running hosts share: the identity section of the policy, the secret store and the
// identity session, with the CLI's way of asking for a sign-in (a line on stderr).
import { GatehouseError } from '../../common/errors.js';
import type { IdentityConfig } from '../core/identity/identity-config.js';
import { IdentitySession } from '../core/identity/identity-session.js';
import { checkIssuerUrl } from '../core/identity/issuer-url.js';
import type { Policy } from '../core/policy/schema.js';
import type { SecretStore } from '../core/ports/secret-store.js';
import type { SignInPrompter } from '../core/ports/sign-in-prompter.js';
import type { AuditRecorder } from '../core/audit/audit-recorder.js';
import { openSecretStore } from '../core/secrets/open-secret-store.js';
import { policyOf, type CommonFlags, type Context } from './context.js';

export interface IdentityFlags extends CommonFlags {
  'insecure-dev-issuer'?: boolean;
}

export interface IdentityHostDeps {
  /** Tests and the demo may pass their own; the CLI opens the OS keychain. */
  readonly secrets?: SecretStore;
  readonly prompter?: SignInPrompter;
  /** Where sign-ins, refreshes and sign-outs are recorded. */
  readonly audit?: AuditRecorder;
}

export function identityConfigOf(policy: Policy): IdentityConfig | undefined {
  return policy.identity;
}

export async function openIdentitySession(ctx: Context, flags: IdentityFlags, deps: IdentityHostDeps = {}): Promise<IdentitySession> {
  const { policy, source } = await policyOf(ctx, flags);
  return createIdentitySession(ctx, requireIdentity(policy, source), flags, deps);
}

export function requireIdentity(policy: Policy, source: string): IdentityConfig {
  const config = identityConfigOf(policy);
  if (config === undefined) {
    throw new GatehouseError('GATEHOUSE_IDENTITY_NOT_CONFIGURED', `the policy from ${source} has no "identity" section, so there is no IdP to sign in to; ask your IT admin to add one`);
  }
  return config;
}

/** The identity session of a host process (login, whoami, logout, serve), on the OS keychain unless a store is given. */
export async function createIdentitySession(ctx: Context, config: IdentityConfig, flags: IdentityFlags, deps: IdentityHostDeps = {}): Promise<IdentitySession> {
  const insecure = flags['insecure-dev-issuer'] === true;
  checkIssuerUrl(config.issuer, insecure); // before touching the keychain, so a bad issuer fails first
  if (insecure) {
    ctx.err(
      `gatehouse: WARNING: --insecure-dev-issuer is for tests and the demo IdP only. Tokens for ${config.issuer} may travel over plain http. Never use it with your organisation's IdP.\n`,
    );
  }
  const secrets = deps.secrets ?? (await openSecretStore({ logger: ctx.logger }));
  return new IdentitySession({
    config,
    secrets,
    logger: ctx.logger,
    prompter: deps.prompter ?? cliPrompter(ctx),
    allowInsecureIssuer: insecure,
    ...(deps.audit ? { audit: deps.audit } : {}),
  });
}

export function cliPrompter(ctx: Context): SignInPrompter {
  return { requestSignIn: (reason) => ctx.err(`gatehouse: sign-in needed: ${reason}. Run: gatehouse login\n`) };
}

/** "keychain", or "memory only (why)" — where the sign-in is kept. */
export function describeSecrets(status: { backend: string; problem?: string }): string {
  return status.backend === 'keychain' ? 'OS keychain' : `memory only, lost when this process ends${status.problem ? `: ${status.problem.replace(/\.$/, '')}` : ''}`;
}
