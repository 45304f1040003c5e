import { FileSource } from './file-source.js';
import type { PolicySource, ReadFile } from './policy-source.js';

// Where configuration management (Ansible, Puppet, a deb/rpm from IT) drops the policy.
export const LINUX_MANAGED_POLICY_PATH = '/etc/gatehouse/policy.json';

export function linuxManagedSource(readFile: ReadFile): PolicySource {
  return new FileSource({ path: LINUX_MANAGED_POLICY_PATH, readFile });
}
