// One writer per client kind.
import { GatehouseError } from '../../../../common/errors.js';
import { CLIENT_KINDS, isClientKind, type ClientKind } from '../kinds.js';
import { claudeCodeWriter } from './claude-code.js';
import { claudeDesktopWriter } from './claude-desktop.js';
import { cursorWriter } from './cursor.js';
import { genericWriter } from './generic.js';
import type { IdeConfigWriter } from './types.js';
import { vscodeWriter } from './vscode.js';
import { windsurfWriter } from './windsurf.js';

export type { GatehouseCommand, IdeConfigResult, IdeConfigWriter, IdeEnvironment, IdeWriterInput, JsonObject, JsonValue, McpEntry } from './types.js';
export { BACKUP_SUFFIX } from './config-file.js';

export const IDE_WRITERS: Readonly<Record<ClientKind, IdeConfigWriter>> = {
  cursor: cursorWriter,
  vscode: vscodeWriter,
  'claude-code': claudeCodeWriter,
  'claude-desktop': claudeDesktopWriter,
  windsurf: windsurfWriter,
  generic: genericWriter,
};

/** The writer for `kind`; throws GATEHOUSE_USAGE listing the supported kinds otherwise. */
export function ideWriterFor(kind: string): IdeConfigWriter {
  if (isClientKind(kind)) return IDE_WRITERS[kind];
  throw new GatehouseError(
    'GATEHOUSE_USAGE',
    `Gatehouse does not know how to configure ${JSON.stringify(kind.slice(0, 80))}. ` +
      `Choose one of: ${CLIENT_KINDS.join(', ')} ("generic" prints a config to paste into any other MCP client).`,
  );
}
