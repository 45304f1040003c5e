// Connects an SDK v2 Client over Streamable HTTP the same way whether the other end is a server
// itself or Gatehouse, and waits until the client's standing GET stream is open: a server drops
// notifications that belong to no request while no such stream exists, so a test that starts
// before it would race.
import { Client, StreamableHTTPClientTransport, type ClientCapabilities } from '@modelcontextprotocol/client';
import { within } from './wait.js';

export interface ConnectOptions {
  capabilities?: ClientCapabilities;
  /** Registers handlers (elicitation, sampling, roots, notifications) before the handshake. */
  setup?: (client: Client) => void;
}

export interface ConnectTarget {
  url: string;
  headers?: Record<string, string>;
}

/** The same client identity for every way of connecting, so servers see the same client. */
export const CLIENT_INFO = { name: 'protocol-parity-client', version: '1.0.0' };

export interface Connection {
  client: Client;
  /** Ends the MCP session (DELETE) and closes the client; never throws. */
  end(): Promise<void>;
}

export async function connectClient(target: ConnectTarget, options: ConnectOptions = {}): Promise<Connection> {
  const client = new Client(CLIENT_INFO, { capabilities: options.capabilities ?? {} });
  options.setup?.(client);
  let streamOpen!: () => void;
  const standing = new Promise<void>((resolve) => (streamOpen = resolve));
  const transport = new StreamableHTTPClientTransport(new URL(target.url), {
    requestInit: { headers: target.headers ?? {} },
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      const type = res.headers.get('content-type') ?? '';
      if ((init?.method ?? 'GET') === 'GET' && res.status === 200 && type.startsWith('text/event-stream')) streamOpen();
      return res;
    },
  });
  const end = async (): Promise<void> => {
    await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  };
  try {
    await client.connect(transport);
    await within(3_000, `the standing GET stream to ${target.url} to open`, standing);
  } catch (error) {
    await end();
    throw error;
  }
  return { client, end };
}
