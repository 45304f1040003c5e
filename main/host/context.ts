// What every command and host needs to know about where it runs: the data dir, the policy, the logger.
import { homedir } from 'node:os';
import { ensureDataDir, resolveDataDir } from '../core/data-dir.js';
import { loadPolicy } from '../core/policy/load.js';
import type { Policy } from '../core/policy/schema.js';
import { streamLogger, type Logger, type LogLevel } from '../core/ports/logger.js';

export interface CommonFlags {
  'data-dir'?: string;
  policy?: string;
  'log-level'?: string;
}

export interface Context {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
  out(text: string): void;
  err(text: string): void;
  logger: Logger;
}

export function processContext(logLevel: string | undefined): Context {
  const level = (['debug', 'info', 'warn', 'error'] as const).find((l) => l === logLevel) ?? 'info';
  return {
    env: process.env,
    platform: process.platform,
    homedir: homedir(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    logger: streamLogger((line) => process.stderr.write(line), level as LogLevel),
  };
}

export async function dataDirOf(ctx: Context, flags: CommonFlags): Promise<string> {
  return ensureDataDir(resolveDataDir({ flag: flags['data-dir'], env: ctx.env, platform: ctx.platform, homedir: ctx.homedir }));
}

export async function policyOf(ctx: Context, flags: CommonFlags): Promise<{ policy: Policy; source: string }> {
  return loadPolicy({ flagPath: flags.policy, env: ctx.env, platform: ctx.platform });
}
