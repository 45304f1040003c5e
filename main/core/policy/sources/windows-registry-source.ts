// Group Policy (ADMX) and Intune write the policy under HKLM\SOFTWARE\Policies, which only
// administrators can change. The key holds either the policy JSON itself in `Policy` (REG_SZ, or
// REG_MULTI_SZ with one line per string) or the path of a policy file in `PolicyFile`.
import { GatehouseError } from '../../../../common/errors.js';
import type { PolicySource, ReadFile } from './policy-source.js';
import { decodePolicyText, readOptionalFile } from './read-policy-file.js';
import { joinMultiString, listsSubkey, parseRegQueryValues, type RegistryValue } from './reg-query-output.js';
import type { RunCommand } from './run-command.js';

export const WINDOWS_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Gatehouse';
const FULL_KEY_NAME = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Gatehouse';
const PARENT_KEY = 'HKLM\\SOFTWARE\\Policies';

export class WindowsRegistrySource implements PolicySource {
  readonly label = WINDOWS_POLICY_KEY;
  private readonly runCommand: RunCommand;
  private readonly readFile: ReadFile;
  private readonly env: Readonly<Record<string, string | undefined>>;

  constructor(options: { readonly runCommand: RunCommand; readonly readFile: ReadFile; readonly env: Readonly<Record<string, string | undefined>> }) {
    this.runCommand = options.runCommand;
    this.readFile = options.readFile;
    this.env = options.env;
  }

  async read(): Promise<string | undefined> {
    // One query for the whole key returns both values; asking for each with /v would take two.
    const query = await this.reg(['query', WINDOWS_POLICY_KEY]);
    if (query.exitCode !== 0) {
      if (await this.keyExists()) throw this.unreadable(`reg query failed: ${query.stderr.trim() || `exit code ${query.exitCode}`}`);
      return undefined;
    }
    const values = parseRegQueryValues(query.stdout);
    const policy = findValue(values, 'Policy');
    const policyFile = findValue(values, 'PolicyFile');
    if (policy !== undefined && policyFile !== undefined) throw this.unreadable('it sets both Policy and PolicyFile; keep only one');
    if (policy !== undefined) return this.policyText(policy);
    if (policyFile !== undefined) return this.policyFileText(policyFile);
    // Disabling the Group Policy setting deletes its value but leaves the key: no policy here.
    return undefined;
  }

  private policyText(value: RegistryValue): string {
    if (value.type !== 'REG_SZ' && value.type !== 'REG_MULTI_SZ') throw this.unreadable(`Policy must be REG_SZ or REG_MULTI_SZ, not ${value.type}`);
    const text = value.type === 'REG_MULTI_SZ' ? joinMultiString(value.data) : value.data;
    // reg prints in the console code page, so characters outside it arrive as U+FFFD and the JSON
    // would silently differ from what the admin wrote.
    if (text.includes('\uFFFD')) {
      throw this.unreadable('Policy contains characters reg.exe cannot pass on; write non-ASCII characters as \\u escapes or use PolicyFile');
    }
    return text;
  }

  private async policyFileText(value: RegistryValue): Promise<string> {
    if (value.type !== 'REG_SZ' && value.type !== 'REG_EXPAND_SZ') throw this.unreadable(`PolicyFile must be REG_SZ or REG_EXPAND_SZ, not ${value.type}`);
    const path = value.type === 'REG_EXPAND_SZ' ? expandEnvironment(value.data, this.env) : value.data;
    const bytes = await readOptionalFile(this.readFile, path);
    if (bytes === undefined) throw this.unreadable(`its PolicyFile names ${path}, which does not exist`);
    return decodePolicyText(bytes, path);
  }

  // reg's error text is localised, so "key not found" is told apart from "cannot read the key" by
  // asking the parent, which every user can read, whether the key is listed.
  private async keyExists(): Promise<boolean> {
    const parent = await this.reg(['query', PARENT_KEY]);
    return parent.exitCode === 0 && listsSubkey(parent.stdout, FULL_KEY_NAME);
  }

  private async reg(args: readonly string[]) {
    try {
      return await this.runCommand('reg', args);
    } catch (error) {
      throw this.unreadable(`could not run reg.exe (${error instanceof Error ? error.message : String(error)})`, error);
    }
  }

  private unreadable(problem: string, cause?: unknown): GatehouseError {
    return new GatehouseError('GATEHOUSE_POLICY_UNREADABLE', `Cannot use the Gatehouse policy in the registry key ${WINDOWS_POLICY_KEY}: ${problem}`, { cause });
  }
}

// Registry value names are case-insensitive.
function findValue(values: readonly RegistryValue[], name: string): RegistryValue | undefined {
  return values.find((value) => value.name.toLowerCase() === name.toLowerCase());
}

function expandEnvironment(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/%([^%]+)%/g, (whole, name: string) => {
    const key = Object.keys(env).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    return (key === undefined ? undefined : env[key]) ?? whole;
  });
}
