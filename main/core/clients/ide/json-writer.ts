// The common shape of every writer that edits a JSON file: load, check, merge our entries into one
// server map, save. Each IDE file only says where its file is and what one entry looks like.
import { GatehouseError } from '../../../../common/errors.js';
import { assertValidClientName } from '../client-name.js';
import type { ClientKind } from '../kinds.js';
import { isWellFormedClientToken, maskClientToken } from '../token.js';
import { loadConfigFile, saveConfigFile, sectionOf } from './config-file.js';
import { GATEHOUSE_KEY_PATTERN, mergeServers } from './merge.js';
import type { IdeConfigResult, IdeConfigWriter, IdeEnvironment, IdeWriterInput, JsonObject, JsonValue, McpEntry } from './types.js';

export interface JsonWriterSpec {
  readonly kind: ClientKind;
  /** The key of the server map at the top level of the file (`mcpServers`, `servers`). */
  readonly section: string;
  readonly allowComments?: boolean;
  configPath(environment: IdeEnvironment): string;
  /** One entry; `token` is the real token when writing and the masked one when reporting. */
  buildEntry(entry: McpEntry, input: IdeWriterInput, token: string): JsonObject;
  /** Recognises entries this writer wrote earlier for this client, so stale ones can be removed. */
  isOurs(input: IdeWriterInput): (value: JsonValue | undefined) => boolean;
  /** The file holds no token: hand it back for the stdio shim's store. */
  readonly tokenForStdioShim?: boolean;
}

/** `{ Authorization: "Bearer <token>" }`, the header every HTTP-capable IDE sends as configured. */
export function bearerHeaders(token: string): JsonObject {
  return { Authorization: `Bearer ${token}` };
}

export function jsonConfigWriter(spec: JsonWriterSpec): IdeConfigWriter {
  const options = { allowComments: spec.allowComments ?? false };
  return {
    kind: spec.kind,
    configPath: (environment) => spec.configPath(environment),
    async check(environment) {
      sectionOf(await loadConfigFile(spec.configPath(environment), options), spec.section);
    },
    async write(input, environment): Promise<IdeConfigResult> {
      assertWriterInput(input);
      const loaded = await loadConfigFile(spec.configPath(environment), options);
      const existing = sectionOf(loaded, spec.section);
      const ours: JsonObject = {};
      const shown: JsonObject = {};
      for (const entry of input.entries) {
        ours[entry.key] = spec.buildEntry(entry, input, input.token);
        shown[entry.key] = spec.buildEntry(entry, input, maskClientToken(input.token));
      }
      const { servers, removed } = mergeServers(existing, ours, spec.isOurs(input));
      const saved = await saveConfigFile(loaded, { ...loaded.data, [spec.section]: servers });
      return {
        path: saved.path,
        written: shown,
        removed,
        ...(saved.backupPath !== undefined ? { backupPath: saved.backupPath } : {}),
        ...(spec.tokenForStdioShim === true ? { stdioToken: input.token } : {}),
      };
    },
  };
}

/** Guards against a caller bug writing a broken or token-less config into the user's IDE. */
export function assertWriterInput(input: IdeWriterInput): void {
  assertValidClientName(input.clientName);
  const fail = (why: string): never => {
    throw new GatehouseError('GATEHOUSE_USAGE', `Cannot write the IDE configuration: ${why}.`);
  };
  if (input.entries.length === 0) fail('no server entries were given');
  if (!isWellFormedClientToken(input.token)) fail('the client token is malformed');
  const seen = new Set<string>();
  for (const entry of input.entries) {
    if (!GATEHOUSE_KEY_PATTERN.test(entry.key)) fail(`entry key "${entry.key}" is not "gatehouse" or "gatehouse-<serverId>"`);
    if (seen.has(entry.key)) fail(`entry key "${entry.key}" appears twice`);
    seen.add(entry.key);
    if (URL.parse(entry.url)?.protocol !== 'http:') fail(`entry "${entry.key}" has no http:// URL`);
  }
  if (input.gatehouseCommand.command.trim() === '') fail('the gatehouse command is empty');
}
