// Proof that a secret reached no file: every regular file under a directory, searched byte for byte.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const wanted = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    if (wanted.some((w) => bytes.includes(w))) found.push(file);
  }
  return found;
}
