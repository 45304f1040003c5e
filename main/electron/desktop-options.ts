// The desktop app's command line. A packaged app takes its policy from MDM and its data from the OS
// data folder; the development switches (another policy file, another data dir, a plain-http IdP)
// are honoured only when it runs unpackaged, so a user cannot point the installed app elsewhere.
// `stdio --client NAME [--server ID]` runs the stdio bridge for stdio-only IDEs (Claude Desktop):
// the desktop app has no separate CLI, so its own executable is the command those IDEs launch.
import { parseArgs } from 'node:util';
import type { DesktopCoreOptions } from './desktop-core.js';

export type DesktopCommand =
  | { kind: 'app'; options: DesktopCoreOptions; ignored: string[] }
  | { kind: 'stdio'; client: string | undefined; server: string[] };

/** `args`: the arguments after the executable (and, unpackaged, after the script). */
export function parseDesktopArgs(args: readonly string[], packaged: boolean): DesktopCommand {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: false,
    allowPositionals: true,
    options: {
      policy: { type: 'string' },
      'data-dir': { type: 'string' },
      'insecure-dev-issuer': { type: 'boolean' },
      client: { type: 'string' },
      server: { type: 'string', multiple: true },
    },
  });
  if (positionals[0] === 'stdio') {
    return { kind: 'stdio', client: asString(values.client), server: Array.isArray(values.server) ? values.server.filter((s) => typeof s === 'string') : [] };
  }
  const dev = {
    policy: asString(values.policy),
    dataDir: asString(values['data-dir']),
    insecureDev: values['insecure-dev-issuer'] === true,
  };
  if (packaged) {
    const ignored = [dev.policy !== undefined && '--policy', dev.dataDir !== undefined && '--data-dir', dev.insecureDev && '--insecure-dev-issuer'].filter((flag) => flag !== false);
    return { kind: 'app', options: { insecureDev: false }, ignored };
  }
  return {
    kind: 'app',
    options: { ...(dev.policy !== undefined ? { policyPath: dev.policy } : {}), ...(dev.dataDir !== undefined ? { dataDir: dev.dataDir } : {}), insecureDev: dev.insecureDev },
    ignored: [],
  };
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** How a stdio IDE launches this app's stdio bridge: the executable (and, unpackaged, the main script). */
export function desktopGatehouseCommand(execPath: string, argv: readonly string[], packaged: boolean): { command: string; args: string[] } {
  const script = argv[1];
  return { command: execPath, args: packaged || script === undefined ? [] : [script] };
}
