// Keeps the broker in step with the signed-in user. A sign-in, sign-out or role change seen by this
// process is announced at once; a sign-in made by another process (`gatehouse login` while `serve`
// runs) is only in the keychain, so while signed out the keychain is looked at again now and then.
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { IdentitySession } from './identity-session.js';

export const SIGNED_OUT_POLL_MS = 5_000;

export function watchIdentity(
  session: IdentitySession,
  onChange: () => void,
  deps: { clock: Clock; logger: Logger; pollMs?: number },
): { stop(): void } {
  const unsubscribe = session.onChange(onChange);
  const pollMs = deps.pollMs ?? SIGNED_OUT_POLL_MS;
  let timer: { cancel(): void } | undefined;
  let stopped = false;
  const poll = (): void => {
    timer = deps.clock.setTimeout(() => {
      // status() reloads from the keychain only while nobody is signed in; otherwise it is in memory.
      const next = session.currentRoles() === undefined ? session.status().then(() => undefined) : Promise.resolve();
      next
        .catch((error: unknown) => deps.logger.log('debug', 'identity: could not read the sign-in state', { error: String(error) }))
        .finally(() => {
          if (!stopped) poll();
        });
    }, pollMs);
  };
  poll();
  return {
    stop() {
      stopped = true;
      timer?.cancel();
      unsubscribe();
    },
  };
}
