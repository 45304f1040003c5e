// For any other MCP client: nothing is written, the caller shows the user what to paste. The shape
// `{ url, headers }` is the common denominator of HTTP-capable clients (Cursor, Claude Code, and
// most others accept it; VS Code also wants `"type": "http"`, Windsurf calls the URL `serverUrl`).
import { maskClientToken } from '../token.js';
import { assertWriterInput, bearerHeaders } from './json-writer.js';
import type { IdeConfigWriter, IdeWriterInput, JsonObject } from './types.js';

function genericConfig(input: IdeWriterInput, token: string): JsonObject {
  const entryFor = (url: string): JsonObject => ({ url, headers: bearerHeaders(token) });
  const [only] = input.entries;
  if (input.entries.length === 1 && only !== undefined) return entryFor(only.url);
  const byKey: JsonObject = {};
  for (const entry of input.entries) byKey[entry.key] = entryFor(entry.url);
  return byKey;
}

export const genericWriter: IdeConfigWriter = {
  kind: 'generic',
  configPath: () => undefined,
  check: async () => undefined,
  async write(input) {
    assertWriterInput(input);
    return {
      path: undefined,
      written: genericConfig(input, maskClientToken(input.token)),
      removed: [],
      config: genericConfig(input, input.token),
    };
  },
};
