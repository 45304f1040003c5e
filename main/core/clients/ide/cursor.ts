// Cursor, global config. Assumed format (Cursor docs, 2025-2026): ~/.cursor/mcp.json on every OS
// (%USERPROFILE%\.cursor on Windows), `mcpServers` map; a remote server is `{ url, headers }`,
// and Cursor picks Streamable HTTP (falling back to SSE) from the URL alone. Plain JSON.
import { idePath } from './paths.js';
import { bearerHeaders, jsonConfigWriter } from './json-writer.js';
import { isGatehouseHttpEntry } from './merge.js';

export const cursorWriter = jsonConfigWriter({
  kind: 'cursor',
  section: 'mcpServers',
  configPath: (environment) => idePath(environment).join(environment.homedir, '.cursor', 'mcp.json'),
  buildEntry: (entry, _input, token) => ({ url: entry.url, headers: bearerHeaders(token) }),
  isOurs: () => isGatehouseHttpEntry,
});
