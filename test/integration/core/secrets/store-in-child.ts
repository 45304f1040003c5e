// Runs openSecretStore in a child process, as a second Gatehouse process would. It is also the only
// way to use another D-Bus bus than the one this process already talks to (see
// test/helpers/secret-service.ts).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { SecretStoreStatus } from '../../../../main/core/ports/secret-store.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const moduleUrl = (file: string) => JSON.stringify(pathToFileURL(path.join(repo, file)).href);

export type StoreOp = readonly ['set', string, string] | readonly ['get', string] | readonly ['delete', string];

export interface ChildOutcome {
  readonly status: SecretStoreStatus;
  /** What each `get` returned, null for a missing secret and for the other operations. */
  readonly results: (string | null)[];
  /** The child's log. */
  readonly stderr: string;
}

const CHILD = `
import { openSecretStore } from ${moduleUrl('main/core/secrets/open-secret-store.ts')};
import { streamLogger } from ${moduleUrl('main/core/ports/logger.ts')};
const { service, ops } = JSON.parse(process.env.GATEHOUSE_TEST_INPUT);
const store = await openSecretStore({ service, logger: streamLogger((line) => process.stderr.write(line)) });
const results = [];
for (const [op, account, secret] of ops) {
  if (op === 'get') results.push((await store.get(account)) ?? null);
  else results.push((await store[op](account, secret), null));
}
process.stdout.write(JSON.stringify({ status: store.status(), results }));
`;

/** `env` is the child's whole environment (plus PATH): nothing of this process's leaks into it. */
export async function runStoreInChild(env: Record<string, string>, service: string, ops: StoreOp[]): Promise<ChildOutcome> {
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, GATEHOUSE_TEST_INPUT: JSON.stringify({ service, ops }) },
    timeout: 30_000,
  });
  return { ...(JSON.parse(stdout) as Omit<ChildOutcome, 'stderr'>), stderr };
}
