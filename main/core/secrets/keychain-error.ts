// The one error the keychain raises, worded for the person who has to fix it on their OS.
import { GatehouseError } from '../../../common/errors.js';

export function keychainAdvice(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'Unlock your login keychain (Keychain Access) and allow Gatehouse to use it.';
    case 'win32':
      return 'Make sure Windows Credential Manager is available to your account.';
    case 'linux':
    case 'freebsd':
      return (
        'Make sure a Secret Service provider (GNOME Keyring or KWallet) runs in your desktop session, ' +
        'that DBUS_SESSION_BUS_ADDRESS reaches it, and that its default keyring is unlocked.'
      );
    default:
      return 'Gatehouse has no keychain support on this system.';
  }
}

/** `what` completes "The OS keychain ..." and says what went wrong, without any secret. */
export function keychainUnavailable(what: string, cause?: unknown): GatehouseError {
  return new GatehouseError('GATEHOUSE_KEYCHAIN_UNAVAILABLE', `The OS keychain ${what}. ${keychainAdvice()}`, { cause });
}

/** Wording for an error thrown by the keyring library; its messages name the store, never the secret. */
export function fromKeyringError(error: unknown): GatehouseError {
  const detail = (error instanceof Error ? error.message : String(error)).replace(/[.\s]+$/, '');
  return keychainUnavailable(`could not be used (${detail})`, error);
}
