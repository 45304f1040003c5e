// The desktop host's Context for the host helpers it shares with `gatehouse serve` (policy, data dir,
// broker, audit, sign-in): there is no terminal, so what the CLI prints goes to the log.
import { homedir } from 'node:os';
import type { Logger } from '../core/ports/logger.js';
import type { Context } from '../host/context.js';

export function desktopContext(logger: Logger, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Context {
  return {
    env,
    platform,
    homedir: homedir(),
    out: (text) => logger.log('info', text.trimEnd()),
    err: (text) => logger.log('warn', text.replace(/^gatehouse: /, '').trimEnd()),
    logger,
  };
}
