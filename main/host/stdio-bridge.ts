// `gatehouse stdio --client NAME [--server ID]`, and the desktop app's stdio mode: a stdio MCP server for stdio-only IDEs that
// forwards every message, both ways, to the running broker as that registered client.
import { StreamableHTTPClientTransport, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { GatehouseError } from '../../common/errors.js';
import { readStdioToken } from '../core/clients/stdio-token.js';
import { readEndpointFile } from '../core/data-dir.js';
import { dataDirOf, type CommonFlags, type Context } from './context.js';

export async function stdio(ctx: Context, flags: CommonFlags & { client?: string; server?: string[] }): Promise<void> {
  if (!flags.client) throw new GatehouseError('GATEHOUSE_USAGE', 'usage: gatehouse stdio --client NAME [--server ID]');
  const dataDir = await dataDirOf(ctx, flags);
  const token = await readStdioToken(dataDir, flags.client);
  if (!token) throw new GatehouseError('GATEHOUSE_CLIENT_UNKNOWN', `no stdio token for client '${flags.client}': run \`gatehouse connect claude-desktop --name ${flags.client}\``);
  const endpoint = await readEndpointFile(dataDir);
  if (!endpoint) throw new GatehouseError('GATEHOUSE_BROKER_NOT_RUNNING', 'Gatehouse is not running: start the app (or `gatehouse serve`) and try again');
  const server = flags.server?.[0];
  const url = new URL(`http://127.0.0.1:${endpoint.port}/mcp${server ? `/${server}` : ''}`);

  const down = new StdioServerTransport();
  const up = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await up.close().catch(() => undefined);
    await down.close().catch(() => undefined);
  };
  up.onmessage = (m: JSONRPCMessage) => {
    // After initialize the HTTP side must send the negotiated version on every request.
    const result = 'result' in m ? (m.result as { protocolVersion?: unknown }) : undefined;
    if (typeof result?.protocolVersion === 'string') up.setProtocolVersion(result.protocolVersion);
    void down.send(m);
  };
  up.onerror = (error) => ctx.logger.log('warn', `broker connection: ${error.message}`);
  up.onclose = () => void shutdown();
  down.onmessage = (m: JSONRPCMessage) => {
    up.send(m).catch((error: unknown) => {
      ctx.logger.log('error', `could not reach the broker: ${String(error)}`);
      if ('id' in m && 'method' in m) void down.send({ jsonrpc: '2.0', id: m.id, error: { code: -32603, message: `GATEHOUSE_BROKER_NOT_RUNNING: Gatehouse could not be reached (${String(error)})` } });
    });
  };
  down.onclose = () => void shutdown();
  await up.start();
  await down.start();
  await new Promise<void>((resolve) => {
    const prev = down.onclose;
    down.onclose = () => { prev?.(); resolve(); };
  });
}
