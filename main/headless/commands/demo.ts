// `gatehouse demo`: the product working with embedded defaults: two realistic demo MCP servers, a
// demo policy, a registered demo client, and a config ready to paste into an IDE.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClientRegistry } from '../../core/clients/registry.js';
import { ensureDataDir } from '../../core/data-dir.js';
import { PolicySchema } from '../../core/policy/schema.js';
import type { Context } from '../context.js';
import { startDocsServer } from '../demo/servers/docs.js';
import { startIncidentsServer } from '../demo/servers/incidents.js';
import { parsePort } from './flags.js';
import { startBroker, untilSignal } from './serve.js';

export async function demo(ctx: Context, flags: { port?: string; 'data-dir'?: string }): Promise<void> {
  const ownDir = flags['data-dir'] === undefined;
  const dataDir = await ensureDataDir(flags['data-dir'] ?? (await mkdtemp(path.join(tmpdir(), 'gatehouse-demo-'))));
  const [incidents, docs] = await Promise.all([startIncidentsServer(), startDocsServer()]);
  const policy = PolicySchema.parse({
    version: 1,
    servers: [
      { id: 'incidents', name: 'Incident management (demo)', url: incidents.url, auth: { mode: 'none' } },
      { id: 'docs', name: 'Knowledge base (demo)', url: docs.url, auth: { mode: 'none' } },
    ],
  });
  const running = await startBroker(ctx, policy, dataDir, parsePort(flags.port) ?? 0);
  const { token } = await new ClientRegistry({ dataDir }).register('demo');
  const auth = { Authorization: `Bearer ${token}` };
  const ide = {
    mcpServers: {
      gatehouse: { url: running.url, headers: auth },
      'gatehouse-incidents': { url: `${running.url}/incidents`, headers: auth },
    },
  };
  ctx.out(
    [
      `Gatehouse demo is running.`,
      ``,
      `  Endpoint (all servers):  ${running.url}`,
      `  Per-server endpoints:    ${running.url}/incidents  ${running.url}/docs`,
      `  Demo servers:            incidents (list/get/update incidents, page on-call: elicits a reason), docs (search with progress)`,
      `  Demo client:             'demo' (token below; data dir ${dataDir})`,
      ``,
      `Paste into your IDE's MCP config (Cursor ~/.cursor/mcp.json; for VS Code use "servers" and add "type": "http"):`,
      JSON.stringify(ide, null, 2),
      ``,
      `Try it from a shell:`,
      `  curl -s ${running.url} -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \\`,
      `    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'`,
      ``,
      `Press Ctrl-C to stop.`,
      `READY ${JSON.stringify({ url: running.url, token })}`,
      ``,
    ].join('\n'),
  );
  await untilSignal(async () => {
    await running.stop();
    await Promise.all([incidents.close(), docs.close()]);
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  });
}
