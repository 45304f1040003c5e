// A real demo IdP and identity sessions pointed at it, with an in-memory secret store shared by the
// sessions (as the keychain is shared by Gatehouse's processes), a manual clock, a recording
// prompter, and a fetch that counts what reaches the network.
import { withIdentityDefaults } from '../../../main/core/identity/identity-config.js';
import { IdentitySession, type IdentitySessionOptions } from '../../../main/core/identity/identity-session.js';
import type { IdentityStatus } from '../../../main/core/identity/identity-types.js';
import type { IdpFetch } from '../../../main/core/identity/oidc-client.js';
import { silentLogger, streamLogger, type Logger } from '../../../main/core/ports/logger.js';
import { MemorySecretStore } from '../../../main/core/secrets/memory-secret-store.js';
import { startDemoIdp, type DemoIdp, type DemoIdpOptions } from '../../../main/headless/demo/idp/index.js';
import { browserlessOpener } from '../../helpers/idp-login.js';
import { ManualClock } from '../../helpers/manual-clock.js';

export interface StoredEntry {
  refreshToken: string;
  idToken: string;
  [key: string]: unknown;
}

export interface IdentityHarness {
  readonly idp: DemoIdp;
  readonly secrets: MemorySecretStore;
  readonly clock: ManualClock;
  /** Reasons given to the sign-in prompter, in order. */
  readonly prompts: string[];
  /** Requests that reached the network, by URL path. */
  readonly requests: string[];
  readonly session: IdentitySession;
  /** Another session over the same secret store: another Gatehouse process. */
  newSession(overrides?: Partial<IdentitySessionOptions>): IdentitySession;
  /** Signs `username` in on `session` (default: the harness's) without a browser. */
  signIn(username?: string, session?: IdentitySession): Promise<IdentityStatus>;
  /** The sign-in entry as stored in the secret store. */
  stored(): Promise<StoredEntry | undefined>;
  stop(): Promise<void>;
}

export async function startIdentityHarness(options: { idp?: DemoIdpOptions; session?: Partial<IdentitySessionOptions> } = {}): Promise<IdentityHarness> {
  const idp = await startDemoIdp(options.idp);
  const secrets = new MemorySecretStore();
  const clock = new ManualClock(Date.now());
  const prompts: string[] = [];
  const requests: string[] = [];
  const logger: Logger = process.env['GATEHOUSE_TEST_LOG'] ? streamLogger((l) => process.stderr.write(l), 'debug') : silentLogger;
  const countingFetch: IdpFetch = (url, init) => {
    requests.push(new URL(url).pathname);
    return fetch(url, init as RequestInit);
  };
  const config = withIdentityDefaults({ issuer: idp.issuer, clientId: idp.clientId });
  const newSession = (overrides: Partial<IdentitySessionOptions> = {}) =>
    new IdentitySession({
      config,
      secrets,
      clock,
      logger,
      prompter: { requestSignIn: (reason) => prompts.push(reason) },
      fetch: countingFetch,
      allowInsecureIssuer: true,
      backoff: { random: () => 0.5 },
      ...options.session,
      ...overrides,
    });
  const session = newSession();
  const account = `gatehouse.identity:${idp.clientId}@${idp.issuer}`;
  return {
    idp,
    secrets,
    clock,
    prompts,
    requests,
    session,
    newSession,
    async signIn(username = 'dev', on = session) {
      const opener = browserlessOpener(username);
      const status = await on.signIn({ opener });
      const outcome = await opener.outcome;
      if (outcome.status !== 200) throw new Error(`the callback page answered ${outcome.status}: ${outcome.body}`);
      return status;
    },
    async stored() {
      const text = await secrets.get(account);
      return text === undefined ? undefined : (JSON.parse(text) as StoredEntry);
    },
    stop: () => idp.stop(),
  };
}

/** The number of requests to a path (e.g. '/token') made since `from`. */
export function countSince(requests: readonly string[], from: number, path: string): number {
  return requests.slice(from).filter((p) => p === path).length;
}
