// `clients.connect`: the settings view's "Connect Cursor" button, doing what `gatehouse connect
// cursor` does: register the IDE under its own name (a new token; an earlier one stops working) and
// write the IDE's MCP config pointing at this broker. For "generic" nothing is written: the user
// gets the URL and header to paste, token included, this once.
import { GatehouseError } from '../../../common/errors.js';
import type { ConnectResult } from '../../../common/ui-api.js';
import { connectClient } from '../clients/connect.js';
import type { ClientKind } from '../clients/kinds.js';
import type { ClientRegistry } from '../clients/registry.js';
import type { UiIdeTarget } from './ui-deps.js';

const IDE_NAMES: Record<ClientKind, string> = {
  cursor: 'Cursor',
  vscode: 'VS Code',
  'claude-code': 'Claude Code',
  'claude-desktop': 'Claude Desktop',
  windsurf: 'Windsurf',
  generic: 'your MCP client',
};

export async function connectIde(kind: ClientKind, endpoint: string, registry: ClientRegistry, ide: UiIdeTarget | undefined): Promise<ConnectResult> {
  if (ide === undefined) throw new GatehouseError('GATEHOUSE_USAGE', 'This Gatehouse cannot write IDE settings; connect the IDE with `gatehouse connect` instead.');
  const result = await connectClient({
    kind,
    serverIds: [],
    endpointBaseUrl: endpoint,
    registry,
    ...ide.environment,
    gatehouseCommand: ide.gatehouseCommand,
  });
  const ideName = IDE_NAMES[result.kind];
  if (result.kind === 'generic') {
    return {
      client: result.clientName,
      written: [],
      message: `Paste this into ${ideName}'s MCP settings. It holds the client's token and is shown only now; connecting again gives a new token and the old one stops working.`,
      snippet: JSON.stringify(result.config.config, null, 2),
    };
  }
  const written = [result.config.path, result.stdioTokenPath].filter((file) => file !== undefined);
  const backup = result.config.backupPath !== undefined ? ` Your earlier settings were kept in ${result.config.backupPath}.` : '';
  return {
    client: result.clientName,
    written,
    message: `Connected ${ideName} as client '${result.clientName}'. Restart ${ideName} (or reload its MCP servers) to pick up the change.${backup}`,
  };
}
