// Windsurf (Codeium). Assumed format (Windsurf docs, 2025-2026): ~/.codeium/windsurf/mcp_config.json
// on every OS, `mcpServers` map; a remote server is `{ serverUrl, headers }` (Windsurf's own key,
// not `url`). Plain JSON.
import { bearerHeaders, jsonConfigWriter } from './json-writer.js';
import { isGatehouseHttpEntry } from './merge.js';
import { idePath } from './paths.js';

export const windsurfWriter = jsonConfigWriter({
  kind: 'windsurf',
  section: 'mcpServers',
  configPath: (environment) => idePath(environment).join(environment.homedir, '.codeium', 'windsurf', 'mcp_config.json'),
  buildEntry: (entry, _input, token) => ({ serverUrl: entry.url, headers: bearerHeaders(token) }),
  isOurs: () => isGatehouseHttpEntry,
});
