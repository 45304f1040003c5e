// An HTTP proxy in front of an MCP server that can hold the next tool call: the request arrives,
// is recorded, and is never answered. A test then knows the broker is in the middle of a call (with
// the server's token in hand) when it crashes it. Records the Authorization header of every request.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldProxy {
  /** `http://127.0.0.1:PORT/mcp` */
  readonly url: string;
  /** The Authorization header of every request that reached the proxy, held ones included. */
  readonly authorizations: readonly string[];
  /** Where requests go: the same path on this origin. Set once the server is started. */
  forwardTo(url: string): void;
  /** Holds the next `tools/call`; resolves when it has arrived. */
  holdNextToolCall(): Promise<void>;
  close(): Promise<void>;
}

export async function startHoldProxy(): Promise<HoldProxy> {
  const authorizations: string[] = [];
  const held: ServerResponse[] = [];
  let target: URL | undefined;
  let hold: (() => void) | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.authorization !== undefined) authorizations.push(req.headers.authorization);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (hold !== undefined && body.includes('"tools/call"')) {
      const arrived = hold;
      hold = undefined;
      held.push(res);
      arrived();
      return;
    }
    if (target === undefined) throw new Error('the proxy forwards nowhere yet');
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: { ...req.headers, host: target.host } });
    upstream.once('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.once('error', () => res.destroy());
    upstream.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  return {
    url,
    authorizations,
    forwardTo: (to) => void (target = new URL(to)),
    holdNextToolCall: () => new Promise<void>((resolve) => (hold = resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
