// Reading and rewriting an IDE's JSON config file. These files belong to the user and to the IDE:
// Gatehouse refuses to touch one it cannot parse, keeps a copy of the original before its first
// change, and replaces it atomically so the IDE never reads half a file.
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GatehouseError } from '../../../../common/errors.js';
import { writePrivateFile } from '../../data-dir.js';
import { parseJsonc } from './jsonc.js';
import type { JsonObject, JsonValue } from './types.js';

export const BACKUP_SUFFIX = '.gatehouse-backup';

export interface ConfigFileOptions {
  /** JSONC (comments, trailing commas) is accepted; they are lost when the file is rewritten. */
  readonly allowComments: boolean;
}

export interface LoadedConfig {
  readonly path: string;
  /** The text read, or undefined when the file does not exist yet. */
  readonly original: string | undefined;
  readonly data: JsonObject;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const errnoCode = (error: unknown): unknown => (error instanceof Error && 'code' in error ? error.code : undefined);

const unchanged = 'Gatehouse has not changed it.';

export async function loadConfigFile(file: string, options: ConfigFileOptions): Promise<LoadedConfig> {
  let original: string;
  try {
    original = await readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { path: file, original: undefined, data: {} };
    throw new GatehouseError(
      'GATEHOUSE_CLIENT_INVALID',
      `Cannot read ${file} (${String(errnoCode(error) ?? error)}). Check that your user can read and write it, then run the command again.`,
      { cause: error },
    );
  }
  // Editors on Windows like to start files with a byte order mark, which JSON.parse rejects.
  const text = original.replace(/^\uFEFF/, '');
  // An empty file is what `touch` leaves; treat it like a missing one.
  if (text.trim() === '') return { path: file, original, data: {} };
  let parsed: unknown;
  try {
    parsed = options.allowComments ? parseJsonc(text) : JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GatehouseError(
      'GATEHOUSE_CLIENT_INVALID',
      `${file} is not valid JSON${options.allowComments ? ' (comments and trailing commas are accepted)' : ''}: ${reason}. ` +
        `${unchanged} Fix the syntax at that position (or move the file away) and run the command again.`,
      { cause: error },
    );
  }
  // JSON.parse returns JSON values only, so after this check the object is a JsonObject.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatehouseError(
      'GATEHOUSE_CLIENT_INVALID',
      `${file} must contain a JSON object ({ ... }) at the top level. ${unchanged} Fix the file (or move it away) and run the command again.`,
    );
  }
  return { path: file, original, data: parsed as JsonObject };
}

/** The object under `section`, or {} when absent; refuses a section that is not an object. */
export function sectionOf(config: LoadedConfig, section: string): JsonObject {
  const value = Object.hasOwn(config.data, section) ? config.data[section] : undefined;
  if (value === undefined) return {};
  if (!isJsonObject(value)) {
    throw new GatehouseError(
      'GATEHOUSE_CLIENT_INVALID',
      `"${section}" in ${config.path} must be an object mapping server names to settings. ${unchanged} Fix it and run the command again.`,
    );
  }
  return value;
}

export interface SavedConfig {
  readonly path: string;
  readonly backupPath?: string;
}

/**
 * Writes `data` to the config's file, mode 0600 since it holds a token. Writes through a symlink
 * (dotfile managers link these files) and makes `<file>.gatehouse-backup` of the original the first
 * time only, so the backup is always the file as it was before Gatehouse.
 */
export async function saveConfigFile(config: LoadedConfig, data: JsonObject): Promise<SavedConfig> {
  let target = config.path;
  let backupPath: string | undefined;
  if (config.original !== undefined) {
    target = await realpath(config.path);
    try {
      await writeFile(target + BACKUP_SUFFIX, config.original, { flag: 'wx', mode: 0o600 });
      backupPath = target + BACKUP_SUFFIX;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
  } else {
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  }
  await writePrivateFile(target, JSON.stringify(data, null, 2) + '\n');
  // Report the path the IDE reads, which is what the user knows, even when it is a symlink.
  return backupPath === undefined ? { path: config.path } : { path: config.path, backupPath };
}
