// Claude Code, user scope (what `claude mcp add --scope user` writes). Assumed format (2025-2026):
// top-level `mcpServers` in ~/.claude.json, or in $CLAUDE_CONFIG_DIR/.claude.json when that is
// set; a remote server is `{ type: "http", url, headers }`. The file also holds Claude Code's own
// state (projects, settings), all preserved; Claude Code rewrites it while running, so connect
// while it is closed or restart it afterwards to be sure it reads the new entry.
import { bearerHeaders, jsonConfigWriter } from './json-writer.js';
import { isGatehouseHttpEntry } from './merge.js';
import { idePath } from './paths.js';

export const claudeCodeWriter = jsonConfigWriter({
  kind: 'claude-code',
  section: 'mcpServers',
  configPath: (environment) => {
    const custom = environment.env.CLAUDE_CONFIG_DIR;
    const dir = custom !== undefined && custom.trim() !== '' ? custom : environment.homedir;
    return idePath(environment).join(dir, '.claude.json');
  },
  buildEntry: (entry, _input, token) => ({ type: 'http', url: entry.url, headers: bearerHeaders(token) }),
  isOurs: () => isGatehouseHttpEntry,
});
