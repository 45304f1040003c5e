// VS Code (stable), user-level MCP config. Assumed format (VS Code 1.102+, still current in 2026):
// `mcp.json` in the user settings folder (<Electron appData>/Code/User), top-level `servers` map
// (not `mcpServers`), a remote server is `{ type: "http", url, headers }`; other top-level keys
// such as `inputs` are preserved. The file is JSONC: comments and trailing commas are accepted on
// read but lost on rewrite, hence the backup. Not handled: Insiders ("Code - Insiders"), VSCodium,
// portable installs, and profiles other than the default one.
import { bearerHeaders, jsonConfigWriter } from './json-writer.js';
import { isGatehouseHttpEntry } from './merge.js';
import { electronAppDataDir, idePath } from './paths.js';

export const vscodeWriter = jsonConfigWriter({
  kind: 'vscode',
  section: 'servers',
  allowComments: true,
  configPath: (environment) => idePath(environment).join(electronAppDataDir(environment), 'Code', 'User', 'mcp.json'),
  buildEntry: (entry, _input, token) => ({ type: 'http', url: entry.url, headers: bearerHeaders(token) }),
  isOurs: () => isGatehouseHttpEntry,
});
