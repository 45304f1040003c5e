// `/mcp`: every approved server as one. Names are namespaced so two servers can never collide,
// and every mapping is reversible so a call routes even if the client never listed.
import type { Params } from '../mcp/jsonrpc.js';
import type { Logger } from '../ports/logger.js';
import type { UpstreamSession } from '../upstream/upstream-session.js';
import { exposeName, exposeUri, splitExposedName, splitExposedUri } from './naming.js';
import { OPEN_TOOL_ACCESS, type ToolAccess } from '../guard/tool-access.js';
import { isVisibleTool, LIST_CAPABILITY, NO_TOOL_REVIEW, type ToolReview, type ListKind, type Route, type RouteError, type SessionView } from './session-view.js';

const ITEMS_KEY: Record<ListKind, string> = { tools: 'tools', prompts: 'prompts', resources: 'resources', resourceTemplates: 'resourceTemplates' };

export class AggregateView implements SessionView {
  /** exposed name → upstream name, for names that had to be shortened with a hash. */
  private readonly hashedNames = new Map<string, { serverId: string; name: string }>();
  private readonly byId: Map<string, UpstreamSession>;

  constructor(
    readonly upstreams: readonly UpstreamSession[],
    private readonly logger: Logger,
    private readonly serverInfo: Params,
    private readonly toolAccess: ToolAccess = OPEN_TOOL_ACCESS,
    private readonly reviewTools: ToolReview = NO_TOOL_REVIEW,
  ) {
    this.byId = new Map(upstreams.map((u) => [u.serverId, u]));
  }

  initializeResult(protocolVersion: string): Params {
    const instructions = this.upstreams
      .filter((u) => u.initialize?.instructions)
      .map((u) => `## Server '${u.serverId}' (its tools are named ${u.serverId}__<tool>)\n${u.initialize!.instructions}`);
    return {
      protocolVersion,
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        completions: {},
        logging: {},
      },
      serverInfo: this.serverInfo,
      ...(instructions.length ? { instructions: instructions.join('\n\n') } : {}),
    };
  }

  /**
   * One page holds the next page of every server that still has one, fetched in parallel: most
   * servers answer in a single page, so a client that never paginates still sees everything.
   * The cursor records where each unfinished server stands.
   */
  async list(kind: ListKind, method: string, params: Params | undefined): Promise<Params> {
    const key = ITEMS_KEY[kind];
    let positions: Array<[string, string | undefined]>;
    const cursor = params?.['cursor'];
    if (typeof cursor === 'string') {
      const decoded = decodeCursor(cursor);
      if (!decoded) throw Object.assign(new Error('invalid cursor'), { invalidParams: true });
      positions = Object.entries(decoded);
    } else {
      positions = this.upstreams.map((u) => [u.serverId, undefined]);
    }
    const pages = await Promise.all(
      positions.map(async ([serverId, upstreamCursor]) => {
        const u = this.byId.get(serverId);
        if (!u || u.state !== 'ready' || !u.initialize?.capabilities[LIST_CAPABILITY[kind]]) return undefined;
        try {
          const response = await u.call(method, upstreamCursor ? { cursor: upstreamCursor } : undefined, { onRelated: () => {} }).response;
          if ('error' in response) throw new Error(response.error.message);
          const tools = response.result['tools'];
          if (kind !== 'tools' || !Array.isArray(tools)) return { u, result: response.result };
          return { u, result: { ...response.result, tools: await this.reviewTools(serverId, tools, upstreamCursor !== undefined) } };
        } catch (error) {
          // One server failing must not hide the others: its items are simply absent this time.
          this.logger.log('warn', `could not list ${kind} of '${serverId}'; they are hidden until it answers`, { server: serverId, error: String(error) });
          return undefined;
        }
      }),
    );
    const items: unknown[] = [];
    const next: Record<string, string> = {};
    for (const page of pages) {
      if (!page) continue;
      const list = page.result[key];
      for (const item of Array.isArray(list) ? list : []) {
        if (kind === 'tools' && !isVisibleTool(this.toolAccess, page.u.serverId, item)) continue;
        items.push(this.exposeItem(kind, page.u.serverId, item));
      }
      const nc = page.result['nextCursor'];
      if (typeof nc === 'string' && nc) next[page.u.serverId] = nc;
    }
    return Object.keys(next).length ? { [key]: items, nextCursor: encodeCursor(next) } : { [key]: items };
  }

  private exposeItem(kind: ListKind, serverId: string, item: unknown): unknown {
    if (typeof item !== 'object' || item === null) return item;
    const o = item as Params;
    switch (kind) {
      case 'tools':
      case 'prompts': {
        if (typeof o['name'] !== 'string') return o;
        const exposed = exposeName(serverId, o['name']);
        if (exposed !== `${serverId}__${o['name']}`) this.hashedNames.set(exposed, { serverId, name: o['name'] });
        return { ...o, name: exposed };
      }
      case 'resources':
        return typeof o['uri'] === 'string' ? { ...o, uri: exposeUri(serverId, o['uri']) } : o;
      case 'resourceTemplates':
        return typeof o['uriTemplate'] === 'string' ? { ...o, uriTemplate: exposeUri(serverId, o['uriTemplate']) } : o;
    }
  }

  /**
   * A shortened name (`<server>__<prefix>-<hash>`) can reach a session that never listed, from a
   * client that cached it: learn the server's names once, then it routes like any other.
   */
  prepare(method: string, params: Params | undefined): Promise<void> | undefined {
    const kind = method === 'tools/call' ? 'tools' : method === 'prompts/get' ? 'prompts' : undefined;
    const name = params?.['name'];
    if (!kind || typeof name !== 'string' || this.hashedNames.has(name) || !/-[a-z0-9]{6}$/.test(name)) return undefined;
    const upstream = this.byId.get(splitExposedName(name)?.serverId ?? '');
    if (!upstream || upstream.state !== 'ready') return undefined;
    return this.learnNames(kind, upstream);
  }

  private async learnNames(kind: 'tools' | 'prompts', upstream: UpstreamSession): Promise<void> {
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const response = await upstream.call(`${kind}/list`, cursor ? { cursor } : undefined, { onRelated: () => {} }).response;
      if ('error' in response) return;
      const items = response.result[kind];
      if (Array.isArray(items)) for (const item of items) this.exposeItem(kind, upstream.serverId, item);
      const next = response.result['nextCursor'];
      if (typeof next !== 'string' || !next) return;
      cursor = next;
    }
  }

  private resolveName(exposed: unknown): { upstream: UpstreamSession; name: string } | undefined {
    if (typeof exposed !== 'string') return undefined;
    const hashed = this.hashedNames.get(exposed);
    if (hashed) {
      const upstream = this.byId.get(hashed.serverId);
      return upstream && { upstream, name: hashed.name };
    }
    const split = splitExposedName(exposed);
    const upstream = split && this.byId.get(split.serverId);
    return upstream && { upstream, name: split.rest };
  }

  private resolveUri(exposed: unknown): { upstream: UpstreamSession; uri: string } | undefined {
    if (typeof exposed !== 'string') return undefined;
    const split = splitExposedUri(exposed);
    const upstream = split && this.byId.get(split.serverId);
    return upstream && { upstream, uri: split.uri };
  }

  route(method: string, params: Params | undefined): Route | RouteError {
    const p = params ?? {};
    switch (method) {
      case 'tools/call':
      case 'prompts/get': {
        const r = this.resolveName(p['name']);
        const what = method === 'tools/call' ? 'tool' : 'prompt';
        if (!r) return { error: { code: method === 'tools/call' ? 'GATEHOUSE_TOOL_UNKNOWN' : 'GATEHOUSE_PROMPT_UNKNOWN', message: `no ${what} named '${String(p['name'])}'; names on this endpoint look like <server>__<${what}>: list them again` } };
        return { upstream: r.upstream, params: { ...p, name: r.name } };
      }
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        const r = this.resolveUri(p['uri']);
        if (!r) return { error: { code: 'GATEHOUSE_RESOURCE_UNKNOWN', message: `no resource '${String(p['uri'])}'; resource URIs on this endpoint start with gh-<server>+: list them again` } };
        return { upstream: r.upstream, params: { ...p, uri: r.uri } };
      }
      case 'completion/complete': {
        const ref = (p['ref'] ?? {}) as Params;
        if (ref['type'] === 'ref/prompt') {
          const r = this.resolveName(ref['name']);
          if (!r) return { error: { code: 'GATEHOUSE_PROMPT_UNKNOWN', message: `no prompt named '${String(ref['name'])}'` } };
          return { upstream: r.upstream, params: { ...p, ref: { ...ref, name: r.name } } };
        }
        const r = this.resolveUri(ref['uri']);
        if (!r) return { error: { code: 'GATEHOUSE_RESOURCE_UNKNOWN', message: `no resource template '${String(ref['uri'])}'` } };
        return { upstream: r.upstream, params: { ...p, ref: { ...ref, uri: r.uri } } };
      }
      default:
        return { error: { code: 'GATEHOUSE_BAD_REQUEST', message: `method '${method}' is not routed by the aggregate endpoint` } };
    }
  }

  mapResult(upstream: UpstreamSession, method: string, result: Params): Params {
    const id = upstream.serverId;
    if (method === 'tools/call' && Array.isArray(result['content'])) return { ...result, content: result['content'].map((c) => exposeContentUris(id, c)) };
    if (method === 'resources/read' && Array.isArray(result['contents'])) return { ...result, contents: result['contents'].map((c) => exposeUriField(id, c)) };
    if (method === 'prompts/get' && Array.isArray(result['messages'])) {
      return { ...result, messages: result['messages'].map((m) => (isObject(m) && isObject(m['content']) ? { ...m, content: exposeContentUris(id, m['content']) } : m)) };
    }
    return result;
  }

  mapNotification(upstream: UpstreamSession, method: string, params: Params | undefined): Params | undefined {
    if (method === 'notifications/resources/updated' && typeof params?.['uri'] === 'string') return { ...params, uri: exposeUri(upstream.serverId, params['uri']) };
    if (method === 'notifications/message' && params) return this.tagLogger(upstream, params);
    return params;
  }

  private tagLogger(upstream: UpstreamSession, params: Params): Params {
    const logger = typeof params['logger'] === 'string' ? `${upstream.serverId}/${params['logger']}` : upstream.serverId;
    return { ...params, logger };
  }
}

function isObject(v: unknown): v is Params {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exposeUriField(serverId: string, v: unknown): unknown {
  return isObject(v) && typeof v['uri'] === 'string' ? { ...v, uri: exposeUri(serverId, v['uri']) } : v;
}

/** resource_link and embedded resources name URIs the client may read next: they must route. */
function exposeContentUris(serverId: string, content: unknown): unknown {
  if (!isObject(content)) return content;
  if (content['type'] === 'resource_link') return exposeUriField(serverId, content);
  if (content['type'] === 'resource' && isObject(content['resource'])) return { ...content, resource: exposeUriField(serverId, content['resource']) };
  return content;
}

function encodeCursor(positions: Record<string, string>): string {
  return Buffer.from(JSON.stringify(positions)).toString('base64url');
}

function decodeCursor(cursor: string): Record<string, string> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!isObject(v) || !Object.values(v).every((c) => typeof c === 'string')) return undefined;
    return v as Record<string, string>;
  } catch {
    return undefined;
  }
}
