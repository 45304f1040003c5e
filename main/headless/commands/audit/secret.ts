// `gatehouse audit secret set NAME` / `delete NAME`: the keychain entries that hold the collector's
// secret header values (policy: "headers": {"Authorization": {"secret": "NAME"}}). The value is read
// from stdin, never from argv. Without a working keychain nothing is stored: a value kept in this
// process's memory would vanish when it exits, and Gatehouse never writes secrets to a file.
import { GatehouseError } from '../../../../common/errors.js';
import { auditSecretAccount, checkAuditSecretName } from '../../../core/audit/sync/sink-headers.js';
import type { SecretStore } from '../../../core/ports/secret-store.js';
import { keychainAdvice } from '../../../core/secrets/keychain-error.js';
import { openSecretStore } from '../../../core/secrets/open-secret-store.js';
import type { Context } from '../../../host/context.js';
import { readSecret } from './read-secret.js';

export interface SecretDeps {
  secrets?: SecretStore;
  /** The value to store; the CLI reads stdin (hidden at a terminal). */
  readValue?: (prompt: string) => Promise<string>;
}

const USAGE = 'usage: gatehouse audit secret set NAME (the value is read from stdin) | gatehouse audit secret delete NAME';

export async function secret(ctx: Context, action: string | undefined, name: string | undefined, deps: SecretDeps = {}): Promise<void> {
  if ((action !== 'set' && action !== 'delete') || name === undefined) throw new GatehouseError('GATEHOUSE_USAGE', USAGE);
  checkAuditSecretName(name);
  const account = auditSecretAccount(name);
  const secrets = deps.secrets ?? (await openSecretStore({ logger: ctx.logger }));
  requireKeychain(secrets, action === 'set' ? 'stored' : 'deleted');
  if (action === 'delete') {
    await secrets.delete(account);
    requireKeychain(secrets, 'deleted');
    return ctx.out(`Deleted the keychain entry ${account} (if it existed); a collector header that uses it can no longer be sent.\n`);
  }
  const value = await (deps.readValue ?? readSecret)(`Value for ${name} (input hidden): `);
  if (value === '') throw new GatehouseError('GATEHOUSE_USAGE', `no value on stdin: pipe it in (printf %s "$VALUE" | gatehouse audit secret set ${name}) or type it at the prompt`);
  // Sent as an HTTP header value: the same rule policy applies to literal values.
  if (!/^[\t\x20-\x7e]*$/.test(value)) throw new GatehouseError('GATEHOUSE_USAGE', 'the value must be printable ASCII: it is sent as an HTTP header value');
  await secrets.set(account, value);
  requireKeychain(secrets, 'stored');
  ctx.out(`Stored ${name} in the OS keychain as ${account}; the broker and gatehouse audit sync --now use it from their next request.\n`);
}

function requireKeychain(secrets: SecretStore, done: string): void {
  const status = secrets.status();
  if (status.backend === 'keychain') return;
  throw new GatehouseError(
    'GATEHOUSE_KEYCHAIN_UNAVAILABLE',
    // Why it is not available is already on stderr (the secret store logs it when it gives up on the keychain).
    `nothing was ${done}: the OS keychain is not available. ${keychainAdvice()} Then try again`,
  );
}
