// Issues #2 and #7: through Gatehouse, every protocol item behaves as it does when a client talks to
// the server directly. One scenario suite, run three ways against the real server-everything (plus
// two small servers for what it cannot show: cancellation and real pagination):
//   - directly, with the SDK v2 client;
//   - through `/mcp/<serverId>`, where names are the server's own: observations must be deep-equal
//     to the direct ones once the normalisations in helpers/normalise.ts are applied;
//   - through the aggregate `/mcp`, where names are namespaced: the same, after mapping names back.
// Each scenario returns what it observed; the last block compares the ways scenario by scenario.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError, SdkError, SdkErrorCode, type CallToolResult, type Client, type ElicitRequest, type Progress, type Root } from '@modelcontextprotocol/client';
import { startEverything, type EverythingServer } from '../../fixtures/everything.js';
import { startHanging, type HangingServer } from '../../fixtures/servers/hanging.js';
import type { McpHttpServer } from '../../fixtures/servers/serve-http.js';
import { startBroker, TEST_TOKEN, type Harness } from '../helpers/broker-harness.js';
import { connectClient, type ConnectOptions, type Connection } from './helpers/connect.js';
import { scrub, unnamespace } from './helpers/normalise.js';
import { startPaging, PAGING_RESOURCES } from './helpers/paging-server.js';
import { Inbox, within } from './helpers/wait.js';

type ServerId = 'everything' | 'hanging' | 'paging';

/** One way of reaching the servers: a connect, and how names and URIs look that way. */
interface Way {
  label: string;
  aggregate: boolean;
  connect(server: ServerId, options?: ConnectOptions): Promise<Client>;
  /** A tool or prompt name as the client sees it this way. */
  toolName(name: string, server?: ServerId): string;
  /** A resource URI (or URI template) as the client sees it this way. */
  uri(u: string, server?: ServerId): string;
  /** An observation with names and URIs mapped back to the server's own (see helpers/normalise.ts). */
  canonical<T>(value: T, server?: ServerId): T;
}

interface Scenario {
  title: string;
  /** `single`: only direct and `/mcp/<id>` are comparable (the aggregate is its own server). */
  compare?: 'all' | 'single';
  run(way: Way): Promise<unknown>;
}

const NAME_RULE = /^[a-zA-Z0-9_-]{1,64}$/;
const SHORT = 3_000;

/** Every tool server-everything offers a client that declares roots, sampling and both elicitation modes. */
const EVERYTHING_TOOLS = [
  'echo', 'get-annotated-message', 'get-env', 'get-resource-links', 'get-resource-reference', 'get-structured-content',
  'get-sum', 'get-tiny-image', 'gzip-file-as-resource', 'toggle-simulated-logging', 'toggle-subscriber-updates',
  'trigger-long-running-operation', 'get-roots-list', 'trigger-elicitation-request', 'trigger-url-elicitation',
  'trigger-sampling-request', 'simulate-research-query',
];
const FULL_CAPABILITIES = { elicitation: { form: {}, url: {} }, sampling: {}, roots: { listChanged: true } };
const DOC = (name: string) => `demo://resource/static/document/${name}`;
const TEXT_TEMPLATE = 'demo://resource/dynamic/text/{resourceId}';

function texts(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
}

type Notice = { method: string; params?: Record<string, unknown> };

const RECORDED = ['notifications/message', 'notifications/resources/updated', 'notifications/resources/list_changed', 'notifications/tools/list_changed', 'notifications/prompts/list_changed'] as const;

/**
 * Connects with every notification recorded from the handshake on (the recorder is installed
 * before connecting, so nothing sent at session start can slip past it): to wait on, and to assert
 * absences.
 */
async function connectWatched(w: Way, server: ServerId, options: ConnectOptions = {}): Promise<{ c: Client; inbox: Inbox<Notice> }> {
  const inbox = new Inbox<Notice>();
  const record = (n: { method: string; params?: unknown }) => inbox.push({ method: n.method, ...(n.params ? { params: n.params as Record<string, unknown> } : {}) });
  const c = await w.connect(server, {
    ...options,
    setup: (client) => {
      client.fallbackNotificationHandler = async (n) => record(n);
      for (const method of RECORDED) client.setNotificationHandler(method, record);
      options.setup?.(client);
    },
  });
  return { c, inbox };
}

const scenarios: Scenario[] = [
  {
    title: "presents the server's own identity, capabilities and instructions at initialize",
    compare: 'single',
    async run(w) {
      const c = await w.connect('everything');
      const seen = {
        protocolVersion: c.getNegotiatedProtocolVersion(),
        serverInfo: c.getServerVersion(),
        capabilities: c.getServerCapabilities(),
        instructions: c.getInstructions(),
      };
      if (w.aggregate) {
        // The aggregate is a server of its own: Gatehouse's identity, the union of what it routes.
        assert.equal(seen.serverInfo?.name, 'gatehouse');
        for (const cap of ['tools', 'resources', 'prompts', 'logging', 'completions'] as const) assert.ok(seen.capabilities?.[cap], `aggregate declares ${cap}`);
        assert.match(seen.instructions ?? '', /## Server 'everything'/);
        return undefined;
      }
      assert.equal(seen.serverInfo?.name, 'mcp-servers/everything');
      assert.ok(seen.instructions);
      return seen;
    },
  },
  {
    title: 'lists every tool of server-everything with its schemas and annotations, under names valid for the strictest client',
    async run(w) {
      const c = await w.connect('everything', { capabilities: FULL_CAPABILITIES, setup: answerRoots(() => []) });
      const { tools } = await c.listTools();
      for (const t of tools) assert.match(t.name, NAME_RULE, `tool name ${t.name}`);
      const own = tools.filter((t) => t.name.startsWith(w.toolName('', 'everything')));
      assert.deepEqual(own.map((t) => t.name).sort(), EVERYTHING_TOOLS.map((n) => w.toolName(n)).sort());
      const echo = own.find((t) => t.name === w.toolName('echo'));
      assert.equal(echo?.annotations?.readOnlyHint, true);
      if (w.aggregate) assert.ok(tools.some((t) => t.name === w.toolName('hang', 'hanging')), 'the other server is listed alongside');
      return w.canonical(own);
    },
  },
  {
    title: 'calls echo',
    async run(w) {
      const c = await w.connect('everything');
      const r = await c.callTool({ name: w.toolName('echo'), arguments: { message: 'hello through the broker' } });
      assert.deepEqual(r.content, [{ type: 'text', text: 'Echo: hello through the broker' }]);
      return w.canonical(r);
    },
  },
  {
    title: 'calls get-sum',
    async run(w) {
      const c = await w.connect('everything');
      const r = await c.callTool({ name: w.toolName('get-sum'), arguments: { a: 19, b: 23 } });
      assert.match(texts(r), /\b42\b/);
      return w.canonical(r);
    },
  },
  {
    title: "returns structuredContent that conforms to the tool's outputSchema (get-structured-content)",
    async run(w) {
      const c = await w.connect('everything');
      // Listing first lets the client validate structuredContent against the outputSchema itself.
      const { tools } = await c.listTools();
      const tool = tools.find((t) => t.name === w.toolName('get-structured-content'));
      assert.ok(tool?.outputSchema, 'the tool declares an outputSchema');
      const r = await c.callTool({ name: w.toolName('get-structured-content'), arguments: { location: 'New York' } });
      assert.ok(r.structuredContent && typeof r.structuredContent === 'object');
      const required = (tool.outputSchema as { required?: string[] }).required ?? [];
      for (const key of required) assert.ok(key in (r.structuredContent as object), `structuredContent has ${key}`);
      assert.deepEqual(JSON.parse(texts(r)), r.structuredContent, 'the text block carries the same data');
      return w.canonical({ outputSchema: tool.outputSchema, result: r });
    },
  },
  {
    title: 'preserves content annotations (get-annotated-message)',
    async run(w) {
      const c = await w.connect('everything');
      const r = await c.callTool({ name: w.toolName('get-annotated-message'), arguments: { messageType: 'error', includeImage: true } });
      const annotated = r.content.filter((b) => 'annotations' in b && b.annotations);
      assert.ok(annotated.length >= 2, 'text and image both carry annotations');
      const first = r.content[0] as { annotations?: { priority?: number; audience?: string[] } };
      assert.equal(first.annotations?.priority, 1.0);
      assert.deepEqual(first.annotations?.audience, ['user', 'assistant']);
      return w.canonical(r);
    },
  },
  {
    title: 'passes isError results through unchanged (invalid arguments, unknown tool)',
    async run(w) {
      const c = await w.connect('everything');
      const invalid = await c.callTool({ name: w.toolName('get-sum'), arguments: { a: 'one', b: 2 } });
      assert.equal(invalid.isError, true);
      assert.match(texts(invalid), /Input validation error/);
      const unknown = await c.callTool({ name: w.toolName('no-such-tool'), arguments: {} });
      assert.equal(unknown.isError, true);
      assert.match(texts(unknown), /Tool no-such-tool not found/);
      return w.canonical({ invalid, unknown });
    },
  },
  {
    title: 'returns resource links that can be read with resources/read (get-resource-links)',
    async run(w) {
      const c = await w.connect('everything');
      const r = await c.callTool({ name: w.toolName('get-resource-links'), arguments: { count: 3 } });
      const links = r.content.filter((b) => b.type === 'resource_link');
      assert.equal(links.length, 3);
      const reads = [];
      for (const link of links) {
        assert.ok(link.uri.startsWith(w.uri('demo://resource/dynamic/')), `link ${link.uri} is addressable this way`);
        const read = await c.readResource({ uri: link.uri });
        assert.equal(read.contents[0]?.uri, link.uri, 'the read names the URI the client asked for');
        reads.push(read);
      }
      return w.canonical(scrub({ result: r, reads }));
    },
  },
  {
    title: 'lists resources in one call and walks every page with cursors',
    async run(w) {
      const c = await w.connect('everything');
      const { resources } = await c.listResources();
      const own = resources.filter((r) => r.uri.startsWith(w.uri('', 'everything')));
      assert.ok(own.length >= 7, 'the static documents are listed');
      assert.ok(own.some((r) => r.uri === w.uri(DOC('architecture.md'))));
      const walked = await walkResourcePages(c);
      assert.deepEqual(walked.map((r) => r.uri), resources.map((r) => r.uri), 'page by page equals all at once');
      return w.canonical(own);
    },
  },
  {
    title: 'walks a paginating server page by page with opaque cursors and reads what it listed',
    async run(w) {
      const c = await w.connect('paging');
      const pages: string[][] = [];
      const walked = await walkResourcePages(c, (page) => pages.push(page.map((r) => r.uri)));
      const own = walked.filter((r) => r.uri.startsWith(w.uri('', 'paging')));
      assert.deepEqual(own.map((r) => r.uri), PAGING_RESOURCES.map((r) => w.uri(r.uri, 'paging')), 'every page, in order, once');
      assert.ok(pages.length >= 3, 'the listing took several pages');
      const read = await c.readResource({ uri: w.uri(PAGING_RESOURCES[4]!.uri, 'paging') });
      assert.equal((read.contents[0] as { text?: string }).text, 'content of item-five');
      // Page boundaries are the server's on every way; the aggregate adds other servers' items to them.
      return w.canonical({ items: own, pageSizes: pages.map((p) => p.filter((u) => u.startsWith(w.uri('', 'paging'))).length), read }, 'paging');
    },
  },
  {
    title: 'lists resource templates',
    async run(w) {
      const c = await w.connect('everything');
      const { resourceTemplates } = await c.listResourceTemplates();
      const own = resourceTemplates.filter((t) => t.uriTemplate.startsWith(w.uri('', 'everything')));
      assert.ok(own.some((t) => t.uriTemplate === w.uri(TEXT_TEMPLATE)));
      return w.canonical(own);
    },
  },
  {
    title: 'reads a static resource and resources made from templates (text and blob)',
    async run(w) {
      const c = await w.connect('everything');
      const doc = await c.readResource({ uri: w.uri(DOC('features.md')) });
      assert.match((doc.contents[0] as { text?: string }).text ?? '', /# Everything Server - Features/);
      const text = await c.readResource({ uri: w.uri('demo://resource/dynamic/text/2') });
      assert.match((text.contents[0] as { text?: string }).text ?? '', /^Resource 2: This is a plaintext resource/);
      const blob = await c.readResource({ uri: w.uri('demo://resource/dynamic/blob/3') });
      assert.ok((blob.contents[0] as { blob?: string }).blob);
      await assert.rejects(c.readResource({ uri: w.uri('demo://resource/dynamic/text/0') }), /Unknown resource|not found/i);
      return w.canonical(scrub({ doc, text, blob }));
    },
  },
  {
    title: 'subscribes to resources, forwards notifications/resources/updated for them, and stops after unsubscribe (toggle-subscriber-updates)',
    async run(w) {
      const { c, inbox } = await connectWatched(w, 'everything');
      const a = w.uri(DOC('how-it-works.md'));
      const b = w.uri(DOC('startup.md'));
      await c.subscribeResource({ uri: a });
      await c.subscribeResource({ uri: b });
      inbox.clear();
      const toggle = () => c.callTool({ name: w.toolName('toggle-subscriber-updates'), arguments: {} });
      assert.match(texts(await toggle()), /^Started/);
      const isUpdate = (uri: string) => (n: Notice) => n.method === 'notifications/resources/updated' && n.params?.['uri'] === uri;
      await inbox.next(`an update for ${a}`, isUpdate(a));
      await inbox.next(`an update for ${b}`, isUpdate(b));
      const first = inbox.items.filter((n) => n.method === 'notifications/resources/updated').map((n) => n.params?.['uri']);

      await c.unsubscribeResource({ uri: a });
      assert.match(texts(await toggle()), /^Stopped/);
      inbox.clear();
      // Restarting sends one round at once, in subscription order (a before b): b's update arriving
      // without a's, on the same stream, shows the unsubscribe reached the server.
      assert.match(texts(await toggle()), /^Started/);
      await inbox.next(`an update for ${b} after unsubscribing ${a}`, isUpdate(b));
      assert.ok(!inbox.items.some(isUpdate(a)), `no update for ${a} after unsubscribe`);
      assert.match(texts(await toggle()), /^Stopped/);
      await c.unsubscribeResource({ uri: b });
      return w.canonical({ first: [...new Set(first)].sort(), afterUnsubscribe: [b] });
    },
  },
  {
    title: 'forwards notifications/resources/list_changed when the server adds a session resource, which is then listed and readable',
    async run(w) {
      const { c, inbox } = await connectWatched(w, 'everything');
      const payload = Buffer.from('parity through the broker\n').toString('base64');
      const r = await c.callTool({ name: w.toolName('gzip-file-as-resource'), arguments: { name: 'parity.txt.gz', data: `data:text/plain;base64,${payload}` } });
      await inbox.next('notifications/resources/list_changed', (n) => n.method === 'notifications/resources/list_changed');
      const link = r.content.find((b) => b.type === 'resource_link');
      assert.ok(link, 'the tool returns a resource link');
      assert.equal(link.uri, w.uri('demo://resource/session/parity.txt.gz'));
      const { resources } = await c.listResources();
      assert.ok(resources.some((x) => x.uri === link.uri), 'the new resource is listed');
      const read = await c.readResource({ uri: link.uri });
      assert.equal(read.contents[0]?.uri, link.uri);
      return w.canonical({ result: r, read });
    },
  },
  {
    title: 'lists prompts and gets them with arguments, embedded resources included',
    async run(w) {
      const c = await w.connect('everything');
      const { prompts } = await c.listPrompts();
      const own = prompts.filter((p) => p.name.startsWith(w.toolName('', 'everything')));
      assert.deepEqual(own.map((p) => p.name).sort(), ['args-prompt', 'completable-prompt', 'resource-prompt', 'simple-prompt'].map((n) => w.toolName(n)));
      for (const p of prompts) assert.match(p.name, NAME_RULE);
      const simple = await c.getPrompt({ name: w.toolName('simple-prompt') });
      const args = await c.getPrompt({ name: w.toolName('args-prompt'), arguments: { city: 'Lisbon', state: 'Estremadura' } });
      assert.match(JSON.stringify(args.messages), /Lisbon/);
      const embedded = await c.getPrompt({ name: w.toolName('resource-prompt'), arguments: { resourceType: 'Text', resourceId: '4' } });
      const resource = embedded.messages.map((m) => m.content).find((x) => x.type === 'resource');
      assert.ok(resource, 'the prompt embeds a resource');
      assert.equal(resource.resource.uri, w.uri('demo://resource/dynamic/text/4'));
      await c.readResource({ uri: resource.resource.uri });
      return w.canonical(scrub({ prompts: own, simple, args, embedded }));
    },
  },
  {
    title: 'completes a prompt argument, using the context of earlier arguments (completion/complete, ref/prompt)',
    async run(w) {
      const c = await w.connect('everything');
      const ref = { type: 'ref/prompt' as const, name: w.toolName('completable-prompt') };
      const department = await c.complete({ ref, argument: { name: 'department', value: 'S' } });
      assert.deepEqual(department.completion.values, ['Sales', 'Support']);
      const name = await c.complete({ ref, argument: { name: 'name', value: '' }, context: { arguments: { department: 'Engineering' } } });
      assert.deepEqual(name.completion.values, ['Alice', 'Bob', 'Charlie']);
      return w.canonical({ department, name });
    },
  },
  {
    title: 'completes a resource template variable (completion/complete, ref/resource)',
    async run(w) {
      const c = await w.connect('everything');
      const r = await c.complete({ ref: { type: 'ref/resource', uri: w.uri(TEXT_TEMPLATE) }, argument: { name: 'resourceId', value: '7' } });
      assert.deepEqual(r.completion.values, ['7']);
      const none = await c.complete({ ref: { type: 'ref/resource', uri: w.uri(TEXT_TEMPLATE) }, argument: { name: 'resourceId', value: 'x' } });
      assert.deepEqual(none.completion.values, []);
      return w.canonical({ r, none });
    },
  },
  {
    title: 'applies logging/setLevel upstream and forwards log messages, tagged with the server id on the aggregate',
    async run(w) {
      const { c, inbox } = await connectWatched(w, 'everything');
      const logs = (n: Notice) => n.method === 'notifications/message';
      const mentions = (uri: string) => (n: Notice) => logs(n) && String(n.params?.['data']).includes(uri);
      // The server acknowledges each subscribe with an info log on the standing stream; at level
      // `emergency` it must stay silent, at `debug` it must arrive. Both travel the same stream in
      // order, so the second one arriving alone proves the first was filtered upstream.
      const quiet = w.uri(DOC('structure.md'));
      const loud = w.uri(DOC('extension.md'));
      await c.setLoggingLevel('emergency');
      await c.subscribeResource({ uri: quiet });
      await c.setLoggingLevel('debug');
      await c.subscribeResource({ uri: loud });
      const ack = await inbox.next('the info log acknowledging the subscribe', mentions(DOC('extension.md')));
      assert.ok(!inbox.items.some(mentions(DOC('structure.md'))), 'nothing logged below the level that was set');
      assert.equal(ack.params?.['level'], 'info');
      assert.equal(ack.params?.['logger'], w.aggregate ? 'everything' : undefined, 'the aggregate names the server in logger');

      inbox.clear();
      const toggle = () => c.callTool({ name: w.toolName('toggle-simulated-logging'), arguments: {} });
      assert.match(texts(await toggle()), /^Started/);
      const simulated = await inbox.next('a simulated log message', (n) => logs(n) && /level[- ]message/i.test(String(n.params?.['data'])));
      assert.equal(simulated.params?.['logger'], w.aggregate ? 'everything' : undefined);
      assert.match(texts(await toggle()), /^Stopped/);
      await c.unsubscribeResource({ uri: quiet });
      await c.unsubscribeResource({ uri: loud });
      // The simulated message's level is random: compare its shape, not its level.
      const { level, ...shape } = simulated.params ?? {};
      assert.equal(typeof level, 'string');
      return w.canonical(scrub({ ack: ack.params, simulated: { ...shape, data: String(shape['data']).replace(/^\w+[- ]level[- ]message/i, '<level> message') } }));
    },
  },
  {
    title: 'refuses an invalid log level as the server does, and leaves setLevel to a server that does not log',
    compare: 'single',
    async run(w) {
      const refusal = (e: unknown) => (e instanceof ProtocolError ? { code: e.code, message: scrub(e.message) } : assert.fail(`expected a protocol error, got ${String(e)}`));
      const c = await w.connect('everything');
      const invalid = await c.request({ method: 'logging/setLevel', params: { level: 'loud' } }).then(
        (r) => assert.fail(`an invalid level was accepted: ${JSON.stringify(r)}`),
        refusal,
      );
      assert.deepEqual(await c.setLoggingLevel('info'), {});
      if (w.aggregate) {
        // The aggregate declares logging itself: it checks the level like a server, and tells only
        // the servers that log.
        assert.equal(invalid.code, -32602);
        const h = await w.connect('hanging');
        assert.deepEqual(await h.setLoggingLevel('info'), {});
        return undefined;
      }
      // hanging declares no logging capability: setLevel is not its method.
      const h = await w.connect('hanging');
      const unsupported = await h.setLoggingLevel('info').then((r) => assert.fail(`accepted: ${JSON.stringify(r)}`), refusal);
      assert.equal(unsupported.code, -32601);
      return { invalid, unsupported };
    },
  },
  {
    title: 'answers ping',
    async run(w) {
      const c = await w.connect('everything');
      const r = await c.ping();
      assert.deepEqual(r, {});
      return r;
    },
  },
  {
    title: "forwards progress notifications for a long-running tool with the client's own progress token",
    async run(w) {
      const c = await w.connect('everything');
      const progress: Progress[] = [];
      // The SDK passes progress to onprogress only when it carries the token the SDK chose.
      const r = await c.callTool(
        { name: w.toolName('trigger-long-running-operation'), arguments: { duration: 0.3, steps: 3 } },
        { onprogress: (p) => progress.push(p) },
      );
      assert.deepEqual(progress.map((p) => [p.progress, p.total]), [[1, 3], [2, 3], [3, 3]]);

      // A token the client picked itself, a string this time, comes back exactly as sent.
      const raw: unknown[] = [];
      const c2 = await w.connect('everything', { setup: (cl) => cl.setNotificationHandler('notifications/progress', (n) => void raw.push(n.params)) });
      const r2 = await c2.request({
        method: 'tools/call',
        params: { name: w.toolName('trigger-long-running-operation'), arguments: { duration: 0.2, steps: 2 }, _meta: { progressToken: 'client-token-7' } },
      });
      assert.deepEqual(raw, [{ progress: 1, total: 2, progressToken: 'client-token-7' }, { progress: 2, total: 2, progressToken: 'client-token-7' }]);
      return w.canonical({ progress, result: r, raw, result2: r2 });
    },
  },
  {
    title: 'keeps a long-running call alive past its timeout while progress arrives (resetTimeoutOnProgress)',
    async run(w) {
      const c = await w.connect('everything');
      const tool = w.toolName('trigger-long-running-operation');
      // Control: without progress resets, a 300 ms timeout ends a 600 ms call.
      await assert.rejects(
        c.callTool({ name: tool, arguments: { duration: 0.6, steps: 1 } }, { timeout: 300 }),
        (e: unknown) => e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout,
      );
      let ticks = 0;
      const r = await c.callTool(
        { name: tool, arguments: { duration: 0.9, steps: 6 } },
        { timeout: 400, resetTimeoutOnProgress: true, onprogress: () => void ticks++ },
      );
      assert.equal(ticks, 6);
      assert.match(texts(r), /completed/);
      return w.canonical(r);
    },
  },
  {
    title: 'cancels a long-running call from the client: it rejects promptly and the server sees the cancellation',
    async run(w) {
      const c = await w.connect('hanging');
      const calls = hanging.hangCalls();
      const cancelled = hanging.cancelledCount();
      const abort = new AbortController();
      const call = c.callTool({ name: w.toolName('hang', 'hanging'), arguments: {} }, { signal: abort.signal });
      call.catch(() => undefined);
      await within(SHORT, 'the hang call to reach the server', hanging.waitForHangCalls(calls + 1));
      const started = performance.now();
      abort.abort(new Error('the user pressed stop'));
      await assert.rejects(within(1_000, 'the aborted call to reject', call), /the user pressed stop/);
      assert.ok(performance.now() - started < 500, 'rejected promptly');
      await within(SHORT, 'the server to observe notifications/cancelled', hanging.waitForCancelled(cancelled + 1));
      assert.equal(hanging.cancelledCount(), cancelled + 1);
      // `hang` sees its signal fire only on notifications/cancelled or when its session ends, not
      // when a response stream is dropped; the session is still there, so it was the notification.
      const after = await c.callTool({ name: w.toolName('slow_with_progress', 'hanging'), arguments: { steps: 1, intervalMs: 0 } });
      assert.deepEqual(after.content, [{ type: 'text', text: 'done after 1 steps' }]);
      return { cancelled: hanging.cancelledCount() - cancelled, after };
    },
  },
  {
    title: "elicits in form mode from a client that declared elicitation: the client's answer reaches the server and shapes the result",
    async run(w) {
      const asked: ElicitRequest['params'][] = [];
      const c = await w.connect('everything', {
        capabilities: { elicitation: { form: {} } },
        setup: (cl) => cl.setRequestHandler('elicitation/create', async (request) => {
          asked.push(request.params);
          return { action: 'accept', content: { name: 'Ada Lovelace', check: true, email: 'ada@example.com', integer: 7 } };
        }),
      });
      const r = await c.callTool({ name: w.toolName('trigger-elicitation-request'), arguments: {} });
      assert.equal(asked.length, 1);
      assert.match(texts(r), /User provided the requested information/);
      assert.match(texts(r), /- Name: Ada Lovelace/);
      assert.match(texts(r), /- Favorite Integer: 7/);
      const declined = await (async () => {
        c.setRequestHandler('elicitation/create', async () => ({ action: 'decline' }));
        return c.callTool({ name: w.toolName('trigger-elicitation-request'), arguments: {} });
      })();
      assert.match(texts(declined), /User declined/);
      return w.canonical({ asked, accepted: r, declined });
    },
  },
  {
    title: 'elicits in URL mode from a client that declared it, and passes the URL-elicitation-required error (-32042) through',
    async run(w) {
      const asked: ElicitRequest['params'][] = [];
      const c = await w.connect('everything', {
        capabilities: { elicitation: { form: {}, url: {} } },
        setup: (cl) => cl.setRequestHandler('elicitation/create', async (request) => {
          asked.push(request.params);
          return { action: 'accept' };
        }),
      });
      const args = { url: 'https://example.com/consent', message: 'Open this to consent', elicitationId: 'parity-elicitation-1' };
      const r = await c.callTool({ name: w.toolName('trigger-url-elicitation'), arguments: args });
      assert.deepEqual(asked, [{ mode: 'url', url: args.url, message: args.message, elicitationId: args.elicitationId }]);
      assert.match(texts(r), /User completed the URL elicitation flow/);

      const error = await c.callTool({ name: w.toolName('trigger-url-elicitation'), arguments: { ...args, errorPath: true } }).then(
        (result) => assert.fail(`expected -32042, got ${JSON.stringify(result)}`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof ProtocolError, `a protocol error, not ${String(error)}`);
      assert.equal(error.code, -32042);
      const data = error.data as { elicitations?: Array<{ mode: string; url: string; elicitationId: string }> };
      assert.equal(data.elicitations?.[0]?.mode, 'url');
      assert.equal(data.elicitations?.[0]?.url, 'https://modelcontextprotocol.io');
      // Retrying the same call after the prerequisite proceeds through the request path.
      const retried = await c.callTool({ name: w.toolName('trigger-url-elicitation'), arguments: { ...args, errorPath: true } });
      assert.match(texts(retried), /User completed the URL elicitation flow/);
      return w.canonical(scrub({ asked, result: r, error: { code: error.code, message: error.message, data }, retried }));
    },
  },
  {
    title: 'never lets the server elicit from a client that did not declare elicitation: the tools are hidden and calling them fails as directly',
    async run(w) {
      let elicited = 0;
      const c = await w.connect('everything', { setup: (cl) => (cl.fallbackRequestHandler = async () => { elicited++; return {}; }) });
      const { tools } = await c.listTools();
      const names = tools.map((t) => t.name);
      for (const hidden of ['trigger-elicitation-request', 'trigger-url-elicitation', 'trigger-sampling-request', 'get-roots-list']) {
        assert.ok(!names.includes(w.toolName(hidden)), `${hidden} is not offered`);
      }
      const r = await c.callTool({ name: w.toolName('trigger-elicitation-request'), arguments: {} });
      assert.equal(r.isError, true);
      assert.equal(elicited, 0, 'no elicitation/create reached the client');
      return w.canonical(r);
    },
  },
  {
    title: 'forwards sampling/createMessage to a client with a sampling handler and its answer back (trigger-sampling-request)',
    async run(w) {
      const asked: unknown[] = [];
      const c = await w.connect('everything', {
        capabilities: { sampling: {} },
        setup: (cl) => cl.setRequestHandler('sampling/createMessage', async (request) => {
          asked.push(request.params);
          return { model: 'parity-model', role: 'assistant', content: { type: 'text', text: 'A sampled answer.' }, stopReason: 'endTurn' };
        }),
      });
      const r = await c.callTool({ name: w.toolName('trigger-sampling-request'), arguments: { prompt: 'Say something', maxTokens: 50 } });
      assert.equal(asked.length, 1);
      assert.match(JSON.stringify(asked[0]), /Say something/);
      assert.match(texts(r), /A sampled answer\./);
      assert.match(texts(r), /parity-model/);
      return w.canonical({ asked, result: r });
    },
  },
  {
    title: "answers roots/list with the client's roots (get-roots-list) and forwards roots/list_changed so the server asks again",
    async run(w) {
      let roots: Root[] = [{ uri: 'file:///work/project-a', name: 'Project A' }];
      const asks = new Inbox<number>();
      const { c, inbox } = await connectWatched(w, 'everything', {
        capabilities: { roots: { listChanged: true } },
        setup: answerRoots(() => roots, () => asks.push(asks.items.length + 1)),
      });
      // server-everything asks for roots on its own shortly after initialization (a request on the
      // standing stream, tied to no client request); once it has them it says so in a log line.
      await asks.next('the server to ask for roots after initialization');
      await inbox.next('the server to take the first roots', (n) => n.method === 'notifications/message' && /Roots updated: 1 root/.test(String(n.params?.['data'])));
      const before = await c.callTool({ name: w.toolName('get-roots-list'), arguments: {} });
      assert.match(texts(before), /Current MCP Roots \(1 total\)[\s\S]*Project A[\s\S]*file:\/\/\/work\/project-a/);
      const asked = asks.items.length;
      assert.equal(asked, 1, 'the server asked once and kept the answer');

      roots = [...roots, { uri: 'file:///work/project-b', name: 'Project B' }];
      await c.sendRootsListChanged();
      await asks.next('the server to ask for roots again', (n) => n > asked);
      await inbox.next('the server to take the new roots', (n) => n.method === 'notifications/message' && /Roots updated: 2 root/.test(String(n.params?.['data'])));
      const afterChange = await c.callTool({ name: w.toolName('get-roots-list'), arguments: {} });
      assert.match(texts(afterChange), /Current MCP Roots \(2 total\)[\s\S]*Project B/);
      return w.canonical({ before, afterChange });
    },
  },
  {
    title: 'sends no notification on its own: no list_changed the server did not announce',
    async run(w) {
      const { c, inbox } = await connectWatched(w, 'everything');
      // A log line on the standing stream after the handshake: anything Gatehouse queued at
      // session start would have been flushed to the client before it.
      await c.setLoggingLevel('debug');
      const marker = w.uri(DOC('instructions.md'));
      await c.subscribeResource({ uri: marker });
      await inbox.next('the subscribe acknowledgement', (n) => n.method === 'notifications/message' && String(n.params?.['data']).includes(DOC('instructions.md')));
      await c.unsubscribeResource({ uri: marker });
      const before = inbox.items.slice(0, inbox.items.findIndex((n) => n.method === 'notifications/message'));
      assert.deepEqual(before.map((n) => n.method), [], 'nothing arrived before the first server message');
      return before;
    },
  },
];

function answerRoots(roots: () => Root[], onAsk?: () => void): (client: Client) => void {
  return (client) => client.setRequestHandler('roots/list', async () => {
    onAsk?.();
    return { roots: roots() };
  });
}

/** resources/list page by page, as a client that paginates itself does. */
async function walkResourcePages(c: Client, onPage?: (page: Array<{ uri: string }>) => void): Promise<Array<{ uri: string; name: string }>> {
  const all: Array<{ uri: string; name: string }> = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const r = await c.request({ method: 'resources/list', params: cursor === undefined ? {} : { cursor } });
    onPage?.(r.resources);
    all.push(...r.resources);
    cursor = r.nextCursor;
    if (cursor === undefined) return all;
  }
  throw new Error('resources/list never ended');
}

// ---------------------------------------------------------------------------------------------

let everything: EverythingServer;
let hanging: HangingServer;
let paging: McpHttpServer;
let broker: Harness;
const upstreamUrl = (server: ServerId): string => ({ everything: everything.url, hanging: hanging.url, paging: paging.url })[server];

/** What each way observed, by scenario title. */
const observed = new Map<string, Map<string, unknown>>();
const open: Connection[] = [];

function way(label: string, aggregate: boolean, urlFor: (server: ServerId) => string, headers: () => Record<string, string>): Way {
  return {
    label,
    aggregate,
    async connect(server, options) {
      const connection = await connectClient({ url: urlFor(server), headers: headers() }, options);
      open.push(connection);
      return connection.client;
    },
    toolName: (name, server = 'everything') => (aggregate ? `${server}__${name}` : name),
    uri: (u, server = 'everything') => (aggregate ? `gh-${server}+${u}` : u),
    canonical: (value, server = 'everything') => (aggregate ? unnamespace(value, server) : value),
  };
}

const bearer = () => ({ authorization: `Bearer ${TEST_TOKEN}` });
const WAYS: Way[] = [
  way('directly', false, (s) => upstreamUrl(s), () => ({})),
  way('through /mcp/<serverId>', false, (s) => `${broker.url}/${s}`, bearer),
  way('through the aggregate /mcp', true, () => broker.url, bearer),
];

/** The shared scenario suite, run one way. */
function protocolSuite(w: Way): void {
  describe(w.label, () => {
    const seen = new Map<string, unknown>();
    observed.set(w.label, seen);
    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.end()));
    });
    for (const s of scenarios) {
      it(s.title, { timeout: 15_000 }, async () => {
        seen.set(s.title, await s.run(w));
      });
    }
  });
}

describe('protocol parity with server-everything, directly and through Gatehouse', () => {
  before(async () => {
    [everything, hanging, paging] = await Promise.all([startEverything(), startHanging(), startPaging()]);
    broker = await startBroker([
      { id: 'everything', url: everything.url },
      { id: 'hanging', url: hanging.url },
      { id: 'paging', url: paging.url },
    ]);
  });
  after(async () => {
    await Promise.all(open.splice(0).map((c) => c.end()));
    await broker?.stop();
    await Promise.all([everything?.close(), hanging?.close(), paging?.close()]);
  });

  for (const w of WAYS) protocolSuite(w);

  describe('each way observes what a direct client observes', () => {
    const [direct, single, aggregate] = WAYS as [Way, Way, Way];
    for (const s of scenarios) {
      for (const other of s.compare === 'single' ? [single] : [single, aggregate]) {
        it(`${other.label}: ${s.title}`, () => {
          const mine = observed.get(direct.label)!;
          const theirs = observed.get(other.label)!;
          assert.ok(mine.has(s.title), 'the direct scenario ran to completion');
          assert.ok(theirs.has(s.title), `the scenario ran to completion ${other.label}`);
          assert.deepEqual(theirs.get(s.title), mine.get(s.title));
        });
      }
    }
  });
});
