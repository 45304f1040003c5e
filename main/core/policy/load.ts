// Finds the one policy in force: `--policy FILE`, then GATEHOUSE_POLICY, then the OS managed
// location. The first source present wins and is used as it is: a broken policy is an error, never a
// reason to try the next place, or a typo would quietly put a different policy in force.
import { readFile as fsReadFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { GatehouseError } from '../../../common/errors.js';
import { PolicyInvalidError } from './policy-invalid-error.js';
import type { Policy } from './schema.js';
import { FileSource } from './sources/file-source.js';
import { linuxManagedSource } from './sources/linux-managed-source.js';
import { macosManagedSources } from './sources/macos-managed-source.js';
import type { PolicySource, ReadFile } from './sources/policy-source.js';
import { runCommand as systemRunCommand, type RunCommand } from './sources/run-command.js';
import { WindowsRegistrySource } from './sources/windows-registry-source.js';
import { parsePolicyText, validatePolicy } from './validate.js';

export const POLICY_ENV_VAR = 'GATEHOUSE_POLICY';

export interface LoadPolicyOptions {
  /** The `--policy FILE` flag, when given. */
  readonly flagPath?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly readFile?: ReadFile;
  /** Runs `reg` on Windows. */
  readonly runCommand?: RunCommand;
  /** Whose per-user managed preferences apply on macOS; defaults to the current user. */
  readonly userName?: string | undefined;
}

export interface LoadedPolicy {
  readonly policy: Policy;
  /** The label of the source it came from, for logs and `gatehouse policy show`. */
  readonly source: string;
}

export async function loadPolicy(options: LoadPolicyOptions): Promise<LoadedPolicy> {
  const readFile = options.readFile ?? fsReadFile;
  const named = namedSource(options, readFile);
  if (named !== undefined) {
    const content = await named.source.read();
    // The user named this file, so its absence is a mistake to report, not a cue to look elsewhere.
    if (content === undefined) {
      throw new GatehouseError(
        'GATEHOUSE_POLICY_NOT_FOUND',
        `The policy file ${named.source.path} named by ${named.via} does not exist; check the path, or leave ${named.via} out to use the policy your IT admin deployed`,
      );
    }
    return toLoadedPolicy(named.source, content);
  }
  const managed = managedPolicySources(options, readFile);
  for (const source of managed) {
    const content = await source.read();
    if (content !== undefined) return toLoadedPolicy(source, content);
  }
  const places = [`--policy FILE (not given)`, `${POLICY_ENV_VAR} (not set)`, ...managed.map((source) => source.label)];
  throw new GatehouseError(
    'GATEHOUSE_POLICY_NOT_FOUND',
    `No Gatehouse policy found. Looked in: ${places.join('; ')}. Ask your IT admin to deploy one, or pass --policy FILE or set ${POLICY_ENV_VAR} to a policy file`,
  );
}

/** The OS managed locations for a platform, in the order they are tried. */
export function managedPolicySources(
  options: Pick<LoadPolicyOptions, 'platform' | 'env' | 'runCommand' | 'userName'>,
  readFile: ReadFile,
): PolicySource[] {
  switch (options.platform) {
    case 'darwin':
      return macosManagedSources({ userName: 'userName' in options ? options.userName : currentUserName(), readFile });
    case 'win32':
      return [new WindowsRegistrySource({ runCommand: options.runCommand ?? systemRunCommand, readFile, env: options.env })];
    default:
      // Linux and the other Unixes share the /etc convention.
      return [linuxManagedSource(readFile)];
  }
}

// The flag wins over the variable, so a one-off `--policy` works even where GATEHOUSE_POLICY is set.
function namedSource(options: LoadPolicyOptions, readFile: ReadFile): { source: FileSource; via: string } | undefined {
  if (options.flagPath !== undefined) {
    return { source: new FileSource({ path: options.flagPath, readFile, label: `--policy ${options.flagPath}` }), via: '--policy' };
  }
  const envPath = options.env[POLICY_ENV_VAR];
  // An empty value is how shells unset a variable for one command; treat it as not set.
  if (envPath !== undefined && envPath !== '') {
    return { source: new FileSource({ path: envPath, readFile, label: `${POLICY_ENV_VAR}=${envPath}` }), via: POLICY_ENV_VAR };
  }
  return undefined;
}

function toLoadedPolicy(source: PolicySource, content: string | object): LoadedPolicy {
  const result = typeof content === 'string' ? parsePolicyText(content, source.label) : validatePolicy(content);
  if (!result.ok) throw new PolicyInvalidError(source.label, result.errors);
  return { policy: result.policy, source: source.label };
}

function currentUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): only the device-wide managed preferences apply.
    return undefined;
  }
}
