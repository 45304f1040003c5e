// The contract every IDE config writer implements.
import type { Env } from '../../data-dir.js';
import type { ClientKind } from '../kinds.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Where the writer runs: injected so tests never touch the real home directory. */
export interface IdeEnvironment {
  readonly homedir: string;
  readonly platform: NodeJS.Platform;
  readonly env: Env;
}

/** One MCP server as the IDE will see it. */
export interface McpEntry {
  /** `gatehouse` for the aggregate endpoint, `gatehouse-<serverId>` for one server. */
  readonly key: string;
  /** `http://127.0.0.1:<port>/mcp` or `.../mcp/<serverId>`. */
  readonly url: string;
  /** Set for per-server entries; stdio clients pass it to the shim as `--server`. */
  readonly serverId?: string;
}

export interface GatehouseCommand {
  /** Absolute path is best: GUI apps (Claude Desktop on macOS) do not inherit the shell's PATH. */
  readonly command: string;
  readonly args: readonly string[];
}

export interface IdeWriterInput {
  readonly clientName: string;
  readonly entries: readonly McpEntry[];
  readonly token: string;
  readonly gatehouseCommand: GatehouseCommand;
}

export interface IdeConfigResult {
  /** The file written; undefined for `generic`, which writes nothing. */
  readonly path: string | undefined;
  /**
   * Our entries as written, keyed by entry key, with the token masked: safe to print. For
   * `generic`, the same shape as `config` (a bare entry when there is only one).
   */
  readonly written: JsonObject;
  /** Keys of earlier Gatehouse entries removed because the new set no longer has them. */
  readonly removed: readonly string[];
  /** Copy of the file as it was before Gatehouse first changed it, when one was made now. */
  readonly backupPath?: string;
  /**
   * `generic` only: the config for the user to paste, token in clear. Print it only when the
   * user asked for it.
   */
  readonly config?: JsonObject;
  /**
   * `claude-desktop` only: the file launches the stdio shim and holds no token, so the caller must
   * store this token where the shim reads it (see stdio-token.ts). Never print it.
   */
  readonly stdioToken?: string;
}

export interface IdeConfigWriter {
  readonly kind: ClientKind;
  /** The config file this writer edits on that OS, or undefined when it writes none. */
  configPath(environment: IdeEnvironment): string | undefined;
  /** Throws the error `write` would throw for the existing file, without writing anything. */
  check(environment: IdeEnvironment): Promise<void>;
  write(input: IdeWriterInput, environment: IdeEnvironment): Promise<IdeConfigResult>;
}
