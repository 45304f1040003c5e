// Builders shared by the policy tests: a minimal valid policy to mutate, and an in-memory file system.
import type { ReadFile } from '../../../../../main/core/policy/sources/policy-source.js';

export function minimalPolicy(): Record<string, unknown> {
  return {
    version: 1,
    servers: [{ id: 'everything', url: 'http://127.0.0.1:3001/mcp', auth: { mode: 'none' } }],
  };
}

export function policyWithServer(server: Record<string, unknown>): Record<string, unknown> {
  return { version: 1, servers: [{ id: 'everything', url: 'https://mcp.example.com/mcp', auth: { mode: 'none' }, ...server }] };
}

export function errnoError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/** Files by path; a path mapped to an Error makes the read fail with it; any other path is ENOENT. */
export function memoryReadFile(files: Record<string, string | Uint8Array | Error>): ReadFile & { readonly reads: string[] } {
  const reads: string[] = [];
  const readFile = async (path: string): Promise<Uint8Array> => {
    reads.push(path);
    const entry = files[path];
    if (entry === undefined) throw errnoError('ENOENT');
    if (entry instanceof Error) throw entry;
    return typeof entry === 'string' ? new TextEncoder().encode(entry) : entry;
  };
  return Object.assign(readFile, { reads });
}
