// Where the stdio shim (`gatehouse stdio --client <name>`) finds its client token. Stdio-only IDEs
// (Claude Desktop) launch the shim from a config file that we keep free of secrets, so the token
// lives here instead: <dataDir>/stdio-clients/<name>.token, file 0600 in a 0700 directory. It is
// in clear because the shim must present it; the registry itself still holds only its hash.
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { GatehouseError } from '../../../common/errors.js';
import { ensureDataDir, writePrivateFile } from '../data-dir.js';
import { assertValidClientName } from './client-name.js';
import { isWellFormedClientToken } from './token.js';

const DIR = 'stdio-clients';

export function stdioTokenPath(dataDir: string, clientName: string): string {
  // The name pattern has no separators and no leading dot, so it cannot leave the directory.
  return path.join(dataDir, DIR, `${assertValidClientName(clientName)}.token`);
}

export async function writeStdioToken(dataDir: string, clientName: string, token: string): Promise<string> {
  if (!isWellFormedClientToken(token)) throw new GatehouseError('GATEHOUSE_INTERNAL', 'Refusing to store a malformed client token.');
  const file = stdioTokenPath(dataDir, clientName);
  await ensureDataDir(dataDir);
  await ensureDataDir(path.dirname(file));
  await writePrivateFile(file, token + '\n');
  return file;
}

/** The stored token, or undefined when this client was never connected as a stdio client. */
export async function readStdioToken(dataDir: string, clientName: string): Promise<string | undefined> {
  const file = stdioTokenPath(dataDir, clientName);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  const token = text.trim();
  if (!isWellFormedClientToken(token)) {
    throw new GatehouseError(
      'GATEHOUSE_CLIENT_INVALID',
      `The stored token for client "${clientName}" (${file}) is damaged. Run "gatehouse connect" for this IDE again to issue a new one.`,
    );
  }
  return token;
}

export async function deleteStdioToken(dataDir: string, clientName: string): Promise<void> {
  await unlink(stdioTokenPath(dataDir, clientName)).catch((error: unknown) => {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  });
}
