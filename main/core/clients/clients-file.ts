// The on-disk shape of clients.json. Any process of the user can write the file, so it is
// validated on every read; it holds token hashes only, never a token.
import { z } from 'zod';
import { GatehouseError } from '../../../common/errors.js';
import { CLIENT_NAME_PATTERN } from './client-name.js';

export const CLIENTS_FILE_NAME = 'clients.json';

const storedClientSchema = z.object({
  /** Lowercase hex SHA-256 of the client's current token. */
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
  createdAt: z.iso.datetime(),
  lastRotatedAt: z.iso.datetime(),
});

const clientsFileSchema = z.object({
  version: z.literal(1),
  clients: z.record(z.string().regex(CLIENT_NAME_PATTERN, 'is not a valid client name'), storedClientSchema),
});

export type StoredClient = z.infer<typeof storedClientSchema>;
export type ClientsFile = z.infer<typeof clientsFileSchema>;

export function emptyClientsFile(): ClientsFile {
  return { version: 1, clients: {} };
}

/** Parses and validates clients.json; throws GATEHOUSE_CLIENT_INVALID naming the file and the fix. */
export function parseClientsFile(text: string, file: string): ClientsFile {
  const fix =
    `Fix the file, or move it away and run "gatehouse connect" again for each IDE (every client then gets a new token).`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GatehouseError('GATEHOUSE_CLIENT_INVALID', `The client registry ${file} is not valid JSON. ${fix}`, { cause: error });
  }
  const parsed = clientsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new GatehouseError(
      'GATEHOUSE_CLIENT_INVALID',
      `The client registry ${file} is invalid:\n${z.prettifyError(parsed.error)}\n${fix}`,
    );
  }
  return parsed.data;
}

export function serializeClientsFile(data: ClientsFile): string {
  return JSON.stringify(data, null, 2) + '\n';
}
