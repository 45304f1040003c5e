// `/mcp/<serverId>`: one server, its own names, its own capabilities and instructions, so that a
// client cannot tell Gatehouse from the server apart from Gatehouse's own checks.
import type { Params } from '../mcp/jsonrpc.js';
import type { UpstreamSession } from '../upstream/upstream-session.js';
import { OPEN_TOOL_ACCESS, type ToolAccess } from '../guard/tool-access.js';
import { isVisibleTool, NO_TOOL_REVIEW, type ToolReview, type ListKind, type Route, type RouteError, type SessionView } from './session-view.js';

export class SingleServerView implements SessionView {
  readonly upstreams: readonly UpstreamSession[];

  constructor(
    private readonly upstream: UpstreamSession,
    private readonly toolAccess: ToolAccess = OPEN_TOOL_ACCESS,
    private readonly reviewTools: ToolReview = NO_TOOL_REVIEW,
  ) {
    this.upstreams = [upstream];
  }

  initializeResult(): Params {
    const init = this.upstream.initialize;
    if (!init) throw new Error('upstream not initialised');
    return init.raw;
  }

  async list(kind: ListKind, method: string, params: Params | undefined): Promise<Params> {
    const response = await this.upstream.call(method, params, { onRelated: () => {} }).response;
    if ('error' in response) throw Object.assign(new Error(response.error.message), { rpc: response.error });
    const tools = response.result['tools'];
    if (kind !== 'tools' || !Array.isArray(tools)) return response.result;
    const reviewed = await this.reviewTools(this.upstream.serverId, tools, params?.['cursor'] !== undefined);
    return { ...response.result, tools: reviewed.filter((tool) => isVisibleTool(this.toolAccess, this.upstream.serverId, tool)) };
  }

  route(_method: string, params: Params | undefined): Route | RouteError {
    return { upstream: this.upstream, params };
  }

  mapResult(_u: UpstreamSession, _m: string, result: Params): Params {
    return result;
  }

  mapNotification(_u: UpstreamSession, _m: string, params: Params | undefined): Params | undefined {
    return params;
  }
}
