// Claude Desktop. Its config file only launches local stdio servers (remote servers are added as
// "connectors" in the app, not in this file), so the entry starts Gatehouse's stdio shim:
// `<gatehouse> stdio --client <name> [--server <id>]`. The file holds no token: the shim reads it
// from the data dir, so the result carries `stdioToken` for the caller to store there
// (stdio-token.ts). Assumed location (2025-2026): claude_desktop_config.json under
// <Electron appData>/Claude (~/Library/Application Support/Claude, %APPDATA%\Claude, and
// ~/.config/Claude for the unofficial Linux builds). Not handled: the Microsoft Store (MSIX)
// install, whose file lives under %LOCALAPPDATA%\Packages\Claude_*\LocalCache\Roaming\Claude.
import { jsonConfigWriter } from './json-writer.js';
import { isGatehouseStdioEntryFor } from './merge.js';
import { electronAppDataDir, idePath } from './paths.js';

export const claudeDesktopWriter = jsonConfigWriter({
  kind: 'claude-desktop',
  section: 'mcpServers',
  tokenForStdioShim: true,
  configPath: (environment) =>
    idePath(environment).join(electronAppDataDir(environment), 'Claude', 'claude_desktop_config.json'),
  buildEntry: (entry, input) => ({
    command: input.gatehouseCommand.command,
    args: [
      ...input.gatehouseCommand.args,
      'stdio',
      '--client',
      input.clientName,
      ...(entry.serverId !== undefined ? ['--server', entry.serverId] : []),
    ],
  }),
  isOurs: (input) => isGatehouseStdioEntryFor(input.clientName),
});
