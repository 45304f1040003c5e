// A client name appears in audit records, in `gatehouse` commands and in stdio shim arguments
// written into IDE configs, so it is kept short, lowercase and free of anything a shell or a path
// would interpret.
import { GatehouseError } from '../../../common/errors.js';

export const CLIENT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,47}$/;

export function isValidClientName(name: string): boolean {
  return CLIENT_NAME_PATTERN.test(name);
}

/** Returns `name` unchanged when valid; otherwise throws GATEHOUSE_CLIENT_INVALID explaining the rule. */
export function assertValidClientName(name: string): string {
  if (isValidClientName(name)) return name;
  // JSON.stringify shows invisible characters (spaces, control codes) the user may not know are there.
  throw new GatehouseError(
    'GATEHOUSE_CLIENT_INVALID',
    `The client name ${JSON.stringify(name.slice(0, 80))} is not valid. Use 1 to 48 characters: lowercase ` +
      'letters, digits, ".", "_" or "-", starting with a letter or digit (for example "cursor" or "vscode-work").',
  );
}
