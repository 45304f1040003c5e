// What one downstream session sees of its upstream servers: all of them under namespaced names
// (the aggregate endpoint `/mcp`) or exactly one under its own names (`/mcp/<serverId>`).
import type { Params } from '../mcp/jsonrpc.js';
import type { ToolAccess } from '../guard/tool-access.js';
import type { UpstreamSession } from '../upstream/upstream-session.js';

export type ListKind = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';

export const LIST_METHODS: Record<string, ListKind> = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
};

/** The capability a server must declare for a kind of list to exist on it. */
export const LIST_CAPABILITY: Record<ListKind, string> = { tools: 'tools', prompts: 'prompts', resources: 'resources', resourceTemplates: 'resources' };

export interface Route {
  upstream: UpstreamSession;
  params: Params | undefined;
}

export interface SessionView {
  readonly upstreams: readonly UpstreamSession[];
  /** Our answer to the client's initialize, once upstreams have had their chance to connect. */
  initializeResult(protocolVersion: string): Params;
  list(kind: ListKind, method: string, params: Params | undefined): Promise<Params>;
  /** Loads whatever `route` needs to know and does not yet (rare: a cached shortened name); undefined when nothing is missing. */
  prepare?(method: string, params: Params | undefined): Promise<void> | undefined;
  /** Which upstream a request goes to, with names mapped back to the upstream's own. */
  route(method: string, params: Params | undefined): Route | RouteError;
  /** Maps names in a result (resource links, embedded resources) into the client's namespace. */
  mapResult(upstream: UpstreamSession, method: string, result: Params): Params;
  /** Maps names in a server notification; undefined drops it. */
  mapNotification(upstream: UpstreamSession, method: string, params: Params | undefined): Params | undefined;
}

export interface RouteError {
  error: { code: 'GATEHOUSE_TOOL_UNKNOWN' | 'GATEHOUSE_PROMPT_UNKNOWN' | 'GATEHOUSE_RESOURCE_UNKNOWN' | 'GATEHOUSE_SERVER_UNAVAILABLE' | 'GATEHOUSE_BAD_REQUEST'; message: string };
}

export const isRouteError = (r: Route | RouteError): r is RouteError => 'error' in r;

/** A tool the user may not call is not listed either: an agent should not plan around a refusal. */
export function isVisibleTool(access: ToolAccess, serverId: string, tool: unknown): boolean {
  const name = typeof tool === 'object' && tool !== null ? (tool as Params)['name'] : undefined;
  return typeof name === 'string' && access.check(serverId, name) === undefined;
}

/**
 * What a tools/list page of one server may show, after pinning and poisoning checks; resolves to the
 * tools that stay visible. `continues` is true for a page after the first.
 */
export type ToolReview = (serverId: string, tools: readonly unknown[], continues: boolean) => Promise<readonly unknown[]>;

export const NO_TOOL_REVIEW: ToolReview = (_serverId, tools) => Promise.resolve(tools);
