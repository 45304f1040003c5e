import { GatehouseError } from '../../../../common/errors.js';
import type { ReadFile } from './policy-source.js';

// ENOTDIR too: a path under a regular file cannot exist, which is "absent", not "broken".
const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

/** The file's bytes, or undefined when it does not exist; any other failure is an error, never "absent". */
export async function readOptionalFile(readFile: ReadFile, path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== undefined && ABSENT.has(code)) return undefined;
    throw new GatehouseError('GATEHOUSE_POLICY_UNREADABLE', `Cannot read the policy file ${path} (${code ?? describe(error)}); ${hint(code)}`, { cause: error });
  }
}

/** Decodes UTF-8, or UTF-16 when a byte order mark says so (PowerShell 5 writes UTF-16 by default). */
export function decodePolicyText(bytes: Uint8Array, path: string): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    // fatal: a file in a legacy code page must fail loudly rather than turn into replacement characters.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (error) {
    throw new GatehouseError('GATEHOUSE_POLICY_UNREADABLE', `The policy file ${path} is not valid ${encoding.toUpperCase()} text; save it as UTF-8`, { cause: error });
  }
}

function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hint(code: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'make it readable by the user who runs Gatehouse';
    case 'EISDIR':
      return 'it is a folder: name the policy JSON file itself';
    default:
      return 'check that the file exists and can be read';
  }
}
