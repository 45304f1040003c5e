import type { Dispatcher } from 'undici';
import type { ServerPolicy } from '../policy/schema.js';
import type { Logger } from '../ports/logger.js';
import { StreamableHttpTransport } from './streamable-http-transport.js';
import type { UpstreamTransport } from './upstream-transport.js';

export interface TransportDeps {
  dispatcher: Dispatcher;
  logger: Logger;
}

export function createUpstreamTransport(server: ServerPolicy, deps: TransportDeps): UpstreamTransport {
  return new StreamableHttpTransport({ url: new URL(server.url), dispatcher: deps.dispatcher, logger: deps.logger, serverId: server.id });
}
