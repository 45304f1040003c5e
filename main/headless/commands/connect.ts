// `gatehouse connect <client>`: registers an IDE and writes its MCP config.
import path from 'node:path';
import { GatehouseError } from '../../../common/errors.js';
import { CLIENT_KINDS, connectClient } from '../../core/clients/connect.js';
import type { GatehouseCommand } from '../../core/clients/ide/types.js';
import { ClientRegistry } from '../../core/clients/registry.js';
import { readEndpointFile } from '../../core/data-dir.js';
import { DEFAULT_PORT, type Policy } from '../../core/policy/schema.js';
import { dataDirOf, policyOf, type CommonFlags, type Context } from '../../host/context.js';
import { parsePort } from './flags.js';

export interface ConnectFlags extends CommonFlags {
  name?: string;
  server?: string[];
  print?: boolean;
  json?: boolean;
  port?: string;
}

/** The broker's address: --port, else the running broker's published one, else the policy's. */
async function endpointBase(dataDir: string, flags: ConnectFlags, policy: Policy | undefined): Promise<string> {
  const port = parsePort(flags.port) ?? (await readEndpointFile(dataDir))?.port ?? policy?.endpoint.port ?? DEFAULT_PORT;
  return `http://127.0.0.1:${port}`;
}

/** How an IDE launches this Gatehouse (stdio clients): this Node, its flags, and this CLI script. */
export function cliCommand(): GatehouseCommand {
  return { command: process.execPath, args: [...process.execArgv, path.resolve(process.argv[1] ?? 'gatehouse')] };
}

export async function connect(ctx: Context, kind: string | undefined, flags: ConnectFlags): Promise<void> {
  if (!kind) throw new GatehouseError('GATEHOUSE_USAGE', `name the client to connect: ${CLIENT_KINDS.join(', ')}`);
  if (flags.print && kind !== 'generic') throw new GatehouseError('GATEHOUSE_USAGE', '--print is for `gatehouse connect generic`; other clients have their config file written');
  const dataDir = await dataDirOf(ctx, flags);
  const policy = await policyOf(ctx, flags).then((p) => p.policy, (error: unknown) => {
    if (error instanceof GatehouseError && error.code === 'GATEHOUSE_POLICY_NOT_FOUND') return undefined;
    throw error;
  });
  const serverIds = flags.server ?? [];
  if (policy) {
    const known = new Set(policy.servers.map((s) => s.id));
    const unknown = serverIds.filter((id) => !known.has(id));
    if (unknown.length) throw new GatehouseError('GATEHOUSE_SERVER_UNKNOWN', `no approved server ${unknown.map((u) => `'${u}'`).join(', ')}; the policy has: ${[...known].join(', ') || 'none'}`);
  }
  const registry = new ClientRegistry({ dataDir, logger: ctx.logger });
  const result = await connectClient({
    kind,
    ...(flags.name !== undefined ? { clientName: flags.name } : {}),
    serverIds,
    endpointBaseUrl: await endpointBase(dataDir, flags, policy),
    registry,
    homedir: ctx.homedir,
    platform: ctx.platform,
    env: ctx.env,
    gatehouseCommand: cliCommand(),
  });
  if (kind === 'generic') {
    // Printing the token is what `generic --print` is for: the user asked to see the config.
    ctx.out(flags.json ? JSON.stringify(result.config.config) + '\n' : JSON.stringify(result.config.config, null, 2) + '\n');
    return;
  }
  ctx.out(`Connected ${result.kind} as client '${result.clientName}'.\nWrote ${result.config.path}:\n${JSON.stringify(result.config.written, null, 2)}\n`);
  if (result.stdioTokenPath) ctx.out(`The stdio shim reads its token from ${result.stdioTokenPath} (user-only).\n`);
  ctx.out('Restart the IDE (or reload its MCP servers) to pick up the change.\n');
}
