// One place a policy may come from. The loader asks each in turn; the first that is present wins,
// so `read` must tell "not here" (undefined) apart from "here but broken" (a thrown GatehouseError).
export interface PolicySource {
  /** Where this source looks, as shown to users: a path, an environment variable or a registry key. */
  readonly label: string;
  /** Policy JSON text, an already-parsed object (plist), or undefined when nothing is there. */
  read(): Promise<string | object | undefined>;
}

/** `fs.promises.readFile` without options fits; tests pass an in-memory map instead. */
export type ReadFile = (path: string) => Promise<Uint8Array>;
