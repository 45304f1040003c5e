import type { Dispatcher } from 'undici';
import type { ServerPolicy } from '../policy/schema.js';
import type { Logger } from '../ports/logger.js';
import { NO_CREDENTIALS, type UpstreamCredentials } from '../identity/upstream-credentials.js';
import { LegacySseTransport } from './legacy-sse-transport.js';
import { StreamableHttpTransport } from './streamable-http-transport.js';
import type { UpstreamTransport } from './upstream-transport.js';

export interface TransportDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  credentials?: UpstreamCredentials;
}

export type TransportKind = UpstreamTransport['kind'];

export function createUpstreamTransport(server: ServerPolicy, kind: TransportKind, deps: TransportDeps): UpstreamTransport {
  const common = { url: new URL(server.url), dispatcher: deps.dispatcher, logger: deps.logger, serverId: server.id, credentials: deps.credentials ?? NO_CREDENTIALS };
  return kind === 'sse' ? new LegacySseTransport(common) : new StreamableHttpTransport(common);
}

/** The transports to try, in order: `auto` falls back to the old HTTP+SSE transport as the spec describes. */
export function transportOrder(server: ServerPolicy): TransportKind[] {
  return server.transport === 'auto' ? ['streamable-http', 'sse'] : [server.transport];
}
