// `identity.signIn` and `identity.signOut` from the dashboard and settings. Signing in is the host's
// job (it opens the system browser, or prints the link when it may not), so the service only asks;
// signing out revokes at the IdP when it can and wipes the local sign-in in any case.
import { GatehouseError } from '../../../common/errors.js';
import type { UiResponse } from '../../../common/ui-api.js';
import type { UiIdentity } from './ui-deps.js';

export async function startSignIn(identity: UiIdentity | undefined, signIn: (() => void | Promise<void>) | undefined): Promise<UiResponse<'identity.signIn'>> {
  requireIdentity(identity);
  if (signIn === undefined) return { started: false, message: 'This Gatehouse cannot open a sign-in page itself: run `gatehouse login` on this computer.' };
  await signIn();
  return { started: true, message: 'Sign in on the page that opened in your browser. If none opened, use the link Gatehouse printed.' };
}

export async function signOut(identity: UiIdentity | undefined): Promise<UiResponse<'identity.signOut'>> {
  const session = requireIdentity(identity);
  const result = await session.signOut();
  if (!result.wasSignedIn) return { message: 'Nobody was signed in.' };
  if (result.revokedAtIdp) return { message: 'Signed out: your sign-in is removed from this computer and revoked at your company sign-in.' };
  return { message: `Signed out on this computer, but ${result.problem ?? 'your company sign-in was not told'}.`.slice(0, 2_000) };
}

function requireIdentity(identity: UiIdentity | undefined): UiIdentity {
  if (identity !== undefined) return identity;
  throw new GatehouseError('GATEHOUSE_IDENTITY_NOT_CONFIGURED', 'Your Gatehouse policy has no sign-in (no "identity" section), so there is nobody to sign in or out; ask your IT admin if you expected one.');
}
