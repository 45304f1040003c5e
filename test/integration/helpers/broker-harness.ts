// Starts a real broker on 127.0.0.1:0 with the servers given, and connects real MCP clients to it.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Broker, type BrokerOptions } from '../../../main/core/broker.js';
import type { RoleSource } from '../../../main/core/guard/tool-access.js';
import { PolicySchema, type PolicyInput } from '../../../main/core/policy/schema.js';
import { silentLogger, streamLogger } from '../../../main/core/ports/logger.js';

export const TEST_TOKEN = 'gh_test-token-for-the-harness-client-0000000000';
export const OTHER_TOKEN = 'gh_test-token-for-a-restricted-client-00000000';

export interface Harness {
  broker: Broker;
  url: string;
  port: number;
  connect(path?: string, options?: { capabilities?: Record<string, unknown>; token?: string; name?: string }): Promise<Client>;
  stop(): Promise<void>;
}

export interface HarnessPorts {
  roles?: RoleSource;
  credentials?: BrokerOptions['credentials'];
  clock?: BrokerOptions['clock'];
  prompter?: BrokerOptions['prompter'];
  pinning?: BrokerOptions['pinning'];
  audit?: BrokerOptions['audit'];
}

export async function startBroker(
  servers: Array<{ id: string; url: string; [k: string]: unknown }>,
  extra: Partial<PolicyInput> = {},
  ports: HarnessPorts = {},
): Promise<Harness> {
  const policy = PolicySchema.parse({ version: 1, servers: servers.map((s) => ({ auth: { mode: 'none' }, ...s })), ...extra });
  const broker = new Broker({
    ...ports,
    policy,
    port: 0,
    version: 'test',
    logger: process.env['GATEHOUSE_TEST_LOG'] ? streamLogger((l) => process.stderr.write(l), 'debug') : silentLogger,
    clients: {
      authenticate: (t) => (t === TEST_TOKEN ? { name: 'test' } : t === OTHER_TOKEN ? { name: 'restricted' } : undefined),
    },
  });
  const port = await broker.start();
  const clients: Client[] = [];
  return {
    broker,
    port,
    url: broker.url,
    async connect(path = '/mcp', options = {}) {
      const client = new Client({ name: options.name ?? 'harness-client', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
      const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}${path}`), {
        requestInit: { headers: { Authorization: `Bearer ${options.token ?? TEST_TOKEN}` } },
      });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await broker.stop();
    },
  };
}
