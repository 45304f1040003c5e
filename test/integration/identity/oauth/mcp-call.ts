// Calls a tool on an OAuth-protected MCP server the way Gatehouse's upstream transports use an
// UpstreamCredentials: ask authorization() before each request, and on 401 / 403 report it with
// rejected() and retry once when that says a fresh token is worth trying.
import { Client, StreamableHTTPClientTransport, type FetchLike } from '@modelcontextprotocol/client';
import type { UpstreamCredentials } from '../../../../main/core/identity/upstream-credentials.js';

export interface ToolAnswer {
  text: string;
  isError: boolean;
}

export function credentialedFetch(credentials: UpstreamCredentials): FetchLike {
  return async (url, init) => {
    const send = async (): Promise<{ res: Response; token: string | undefined }> => {
      const authorization = await credentials.authorization();
      const headers = new Headers(init?.headers);
      if (authorization) headers.set('authorization', authorization);
      const res = await fetch(url, { ...init, headers });
      return { res, token: authorization?.replace(/^Bearer /, '') };
    };
    const first = await send();
    if (first.res.status !== 401 && first.res.status !== 403) return first.res;
    const retry = await credentials.rejected({ status: first.res.status, wwwAuthenticate: first.res.headers.get('www-authenticate') ?? undefined, token: first.token });
    if (!retry) return first.res;
    await first.res.body?.cancel();
    return (await send()).res;
  };
}

export async function callTool(serverUrl: string, credentials: UpstreamCredentials, name: string): Promise<ToolAnswer> {
  const client = new Client({ name: 'oauth-test-client', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(serverUrl), { fetch: credentialedFetch(credentials) });
  try {
    await client.connect(transport);
    const result = await client.callTool({ name, arguments: {} });
    const content = result.content as Array<{ type: string; text?: string }>;
    return { text: content.map((c) => c.text ?? '').join(''), isError: result.isError === true };
  } finally {
    await client.close().catch(() => undefined);
  }
}
