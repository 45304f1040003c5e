// A server whose resources/list really paginates (two resources a page, opaque cursors), because
// server-everything answers it in one page: without it, nothing would prove that a client can walk
// pages through Gatehouse, where the aggregate endpoint wraps every server's cursor in its own.
import { McpServer } from '@modelcontextprotocol/server';
import { serveMcp, type McpHttpServer } from '../../../fixtures/servers/serve-http.js';

export const PAGING_RESOURCES = ['one', 'two', 'three', 'four', 'five'].map((n) => ({
  uri: `paging://item/${n}`,
  name: `item-${n}`,
  mimeType: 'text/plain',
}));
const PAGE_SIZE = 2;

function cursorFor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function offsetOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export function startPaging(): Promise<McpHttpServer> {
  return serveMcp(() => {
    const server = new McpServer({ name: 'paging', version: '1.0.0' }, { capabilities: { resources: {} } });
    server.server.setRequestHandler('resources/list', (request) => {
      const offset = offsetOf(request.params?.cursor);
      if (offset === undefined) throw new Error('invalid cursor');
      const next = offset + PAGE_SIZE;
      const resources = PAGING_RESOURCES.slice(offset, next);
      return next < PAGING_RESOURCES.length ? { resources, nextCursor: cursorFor(next) } : { resources };
    });
    server.server.setRequestHandler('resources/read', (request) => {
      const item = PAGING_RESOURCES.find((r) => r.uri === request.params.uri);
      if (!item) throw new Error(`no resource ${request.params.uri}`);
      return { contents: [{ uri: item.uri, mimeType: item.mimeType, text: `content of ${item.name}` }] };
    });
    return server;
  });
}
