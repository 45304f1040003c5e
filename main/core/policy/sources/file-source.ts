import type { PolicySource, ReadFile } from './policy-source.js';
import { decodePolicyText, readOptionalFile } from './read-policy-file.js';

/** A policy JSON file: `--policy FILE`, `GATEHOUSE_POLICY`, and Linux's managed location. */
export class FileSource implements PolicySource {
  readonly path: string;
  readonly label: string;
  private readonly readFile: ReadFile;

  constructor(options: { readonly path: string; readonly readFile: ReadFile; readonly label?: string }) {
    this.path = options.path;
    this.label = options.label ?? options.path;
    this.readFile = options.readFile;
  }

  async read(): Promise<string | undefined> {
    const bytes = await readOptionalFile(this.readFile, this.path);
    return bytes === undefined ? undefined : decodePolicyText(bytes, this.path);
  }
}
