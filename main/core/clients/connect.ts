// `gatehouse connect <kind>`: give an IDE its own client token and write the IDE's MCP config so
// it reaches the broker with it, either through the aggregate endpoint or one entry per server.
import { GatehouseError } from '../../../common/errors.js';
import { assertValidClientName } from './client-name.js';
import { ideWriterFor } from './ide/index.js';
import type { GatehouseCommand, IdeConfigResult, IdeEnvironment, McpEntry } from './ide/types.js';
import type { ClientKind } from './kinds.js';
import type { ClientRegistry } from './registry.js';
import { writeStdioToken } from './stdio-token.js';

export { CLIENT_KINDS, isClientKind, type ClientKind } from './kinds.js';

export interface ConnectClientOptions extends IdeEnvironment {
  /** One of CLIENT_KINDS; anything else is refused with the list of kinds. */
  readonly kind: string;
  /** The name the client is registered and audited under; defaults to `kind`. */
  readonly clientName?: string;
  /** Empty: one aggregate entry. Otherwise one entry per server, in this order. */
  readonly serverIds: readonly string[];
  /** The broker's origin, e.g. http://127.0.0.1:4319 (any path is ignored). */
  readonly endpointBaseUrl: string;
  readonly registry: ClientRegistry;
  /** How an IDE launches Gatehouse (stdio clients only), e.g. node + the CLI script. */
  readonly gatehouseCommand: GatehouseCommand;
}

export interface ConnectClientResult {
  readonly kind: ClientKind;
  readonly clientName: string;
  readonly entries: readonly McpEntry[];
  /** What the writer did; `config.written` is safe to print, `config.config` (generic) is not. */
  readonly config: Omit<IdeConfigResult, 'stdioToken'>;
  /** Where the stdio shim's token was stored (claude-desktop only). */
  readonly stdioTokenPath?: string;
}

/** Server ids become config keys and URL path segments, so they are kept to a safe alphabet. */
export const SERVER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

// Not `localhost`: it may resolve to ::1 while the broker listens on 127.0.0.1 only.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

/** The aggregate entry when `serverIds` is empty, else one `gatehouse-<id>` entry per server. */
export function buildMcpEntries(endpointBaseUrl: string, serverIds: readonly string[]): McpEntry[] {
  const base = URL.parse(endpointBaseUrl);
  // The token goes wherever this URL points, so only the local broker is acceptable.
  if (base === null || base.protocol !== 'http:' || !LOOPBACK_HOSTS.has(base.hostname)) {
    throw new GatehouseError(
      'GATEHOUSE_USAGE',
      `The broker endpoint ${JSON.stringify(endpointBaseUrl)} is not a local http:// address (127.0.0.1). ` +
        'Start the broker with "gatehouse serve" and connect again.',
    );
  }
  const origin = base.origin;
  if (serverIds.length === 0) return [{ key: 'gatehouse', url: `${origin}/mcp` }];
  const entries: McpEntry[] = [];
  for (const id of new Set(serverIds)) {
    if (!SERVER_ID_PATTERN.test(id)) {
      throw new GatehouseError(
        'GATEHOUSE_USAGE',
        `${JSON.stringify(id.slice(0, 80))} is not a valid server id (letters, digits, ".", "_", "-"; at most 64). ` +
          'Use the ids listed by the policy.',
      );
    }
    entries.push({ key: `gatehouse-${id}`, url: `${origin}/mcp/${id}`, serverId: id });
  }
  return entries;
}

/**
 * Registers the client (a new token, or a rotated one: the IDE's old token stops working) and writes
 * the IDE's config. Everything that can be checked is checked before the token rotates, so a
 * config file Gatehouse must refuse to touch does not leave the IDE with a dead token.
 */
export async function connectClient(options: ConnectClientOptions): Promise<ConnectClientResult> {
  const writer = ideWriterFor(options.kind);
  const clientName = assertValidClientName(options.clientName ?? writer.kind);
  const entries = buildMcpEntries(options.endpointBaseUrl, options.serverIds);
  const environment: IdeEnvironment = { homedir: options.homedir, platform: options.platform, env: options.env };
  await writer.check(environment);

  const { token } = await options.registry.register(clientName);
  // The stdio token is stored here and not handed on, so no caller can print it by accident.
  const { stdioToken, ...config } = await writer.write(
    { clientName, entries, token, gatehouseCommand: options.gatehouseCommand },
    environment,
  );
  const stdioTokenPath =
    stdioToken !== undefined ? await writeStdioToken(options.registry.dataDir, clientName, stdioToken) : undefined;
  return {
    kind: writer.kind,
    clientName,
    entries,
    config,
    ...(stdioTokenPath !== undefined ? { stdioTokenPath } : {}),
  };
}
