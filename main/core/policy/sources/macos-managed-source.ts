// MDM delivers the policy as a configuration profile whose payload domain is our bundle id; macOS
// writes it to Managed Preferences, where only root can change it. The dictionary at the top of that
// plist is the policy object itself, so admins write the same keys as in policy.json.
import { parse } from 'plist';
import { GatehouseError } from '../../../../common/errors.js';
import type { PolicySource, ReadFile } from './policy-source.js';
import { readOptionalFile } from './read-policy-file.js';

export const MACOS_BUNDLE_ID = 'dev.gatehouse.app';
export const MACOS_MANAGED_PREFERENCES_DIR = '/Library/Managed Preferences';

/** One Managed Preferences plist, XML or binary (`bplist00`, which is how macOS usually writes them). */
export class ManagedPlistSource implements PolicySource {
  readonly label: string;

  constructor(
    readonly path: string,
    private readonly readFile: ReadFile,
  ) {
    this.label = path;
  }

  async read(): Promise<object | undefined> {
    const bytes = await readOptionalFile(this.readFile, this.path);
    if (bytes === undefined) return undefined;
    let value: unknown;
    try {
      // The plist package parses binary plists itself, so no plutil round trip is needed.
      value = isBinaryPlist(bytes) ? parse(bytes) : parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new GatehouseError(
        'GATEHOUSE_POLICY_UNREADABLE',
        `${this.path} is not a readable property list (${error instanceof Error ? error.message : String(error)}); check the configuration profile that delivers the Gatehouse policy`,
        { cause: error },
      );
    }
    if (!isDictionary(value)) {
      throw new GatehouseError('GATEHOUSE_POLICY_UNREADABLE', `${this.path} must hold a dictionary at its top level, the policy object; check the configuration profile`);
    }
    return withoutPayloadKeys(value);
  }
}

/** Per-user managed preferences first: macOS lets them override the device-wide ones, and so do we. */
export function macosManagedSources(options: { readonly userName: string | undefined; readonly readFile: ReadFile }): PolicySource[] {
  const file = `${MACOS_BUNDLE_ID}.plist`;
  const sources: PolicySource[] = [];
  if (options.userName !== undefined && isPlainUserName(options.userName)) {
    sources.push(new ManagedPlistSource(`${MACOS_MANAGED_PREFERENCES_DIR}/${options.userName}/${file}`, options.readFile));
  }
  sources.push(new ManagedPlistSource(`${MACOS_MANAGED_PREFERENCES_DIR}/${file}`, options.readFile));
  return sources;
}

function isBinaryPlist(bytes: Uint8Array): boolean {
  return new TextDecoder().decode(bytes.subarray(0, 8)) === 'bplist00';
}

function isDictionary(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

// Some MDM tools leave the profile's bookkeeping (PayloadUUID, PayloadType...) in the managed domain.
// Those keys are never Gatehouse settings, and the strict schema would otherwise reject the policy.
function withoutPayloadKeys(dictionary: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(dictionary).filter(([key]) => !/^Payload[A-Z]/.test(key)));
}

// A user name is one path segment; anything else would make us read outside Managed Preferences.
function isPlainUserName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0');
}
