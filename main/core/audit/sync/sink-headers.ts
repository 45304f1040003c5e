// The collector's request headers as sent: literal values from policy, and secret values from the
// keychain under one naming (`audit-header:<name>`), shared by the broker's outbox and
// `gatehouse audit secret set|delete` and `gatehouse audit sync --now`.
import { GatehouseError } from '../../../../common/errors.js';
import type { SecretStore } from '../../ports/secret-store.js';
import { keychainAdvice } from '../../secrets/keychain-error.js';
import { AUDIT_SECRET_NAME, type AuditSinkPolicy } from '../audit-policy.js';

/** The keychain entry that holds the secret called `name` in policy. */
export function auditSecretAccount(name: string): string {
  return `audit-header:${name}`;
}

/** Throws a usage error unless `name` is a name policy could refer to. */
export function checkAuditSecretName(name: string): void {
  if (!AUDIT_SECRET_NAME.test(name)) {
    throw new GatehouseError(
      'GATEHOUSE_USAGE',
      `'${name}' is not a secret name policy can refer to: use 1-64 lowercase letters, digits, dots, underscores or hyphens, starting with a letter or digit (as in "headers": {"Authorization": {"secret": "NAME"}})`,
    );
  }
}

/** The secret names the sink's headers refer to, in header order; empty when none needs the keychain. */
export function sinkSecretNames(sink: Pick<AuditSinkPolicy, 'headers'>): string[] {
  return Object.values(sink.headers).flatMap((value) => (typeof value === 'string' ? [] : [value.secret]));
}

/**
 * The headers to send, secrets read from `secrets`. Throws GATEHOUSE_AUDIT_SYNC_FAILED naming the
 * first missing entry and the command that sets it.
 */
export async function resolveSinkHeaders(sink: Pick<AuditSinkPolicy, 'headers'>, secrets: SecretStore): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [header, value] of Object.entries(sink.headers)) {
    if (typeof value === 'string') {
      headers[header] = value;
      continue;
    }
    const secret = await secrets.get(auditSecretAccount(value.secret));
    if (secret === undefined || secret === '') {
      const keychain = secrets.status().backend === 'keychain' ? '' : ` The OS keychain is not available, so it cannot be read: ${keychainAdvice()}`;
      throw new GatehouseError(
        'GATEHOUSE_AUDIT_SYNC_FAILED',
        `the audit collector's "${header}" header needs the keychain entry "${auditSecretAccount(value.secret)}", which is not set.${keychain} Set it with: gatehouse audit secret set ${value.secret}`,
      );
    }
    headers[header] = secret;
  }
  return headers;
}
