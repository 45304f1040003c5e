// `gatehouse demo`: the product working with embedded defaults: a real OIDC provider with two demo
// users, two realistic demo MCP servers, a demo policy granting each role different tools, a
// registered demo client, and a config ready to paste into an IDE.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GatehouseError } from '../../../common/errors.js';
import { ClientRegistry } from '../../core/clients/registry.js';
import { ensureDataDir } from '../../core/data-dir.js';
import { IdentitySession } from '../../core/identity/identity-session.js';
import { PolicySchema, type Policy } from '../../core/policy/schema.js';
import type { Opener } from '../../core/ports/opener.js';
import { MemorySecretStore } from '../../core/secrets/memory-secret-store.js';
import type { Context } from '../../host/context.js';
import { browserlessOpener } from '../demo/idp/browserless-login.js';
import { DEMO_USERS, startDemoIdp, type DemoIdp } from '../demo/idp/index.js';
import { startDocsServer } from '../demo/servers/docs.js';
import { startIncidentsServer } from '../demo/servers/incidents.js';
import { systemBrowser } from '../../host/system-browser.js';
import { parsePort } from './flags.js';
import { startBroker } from '../../host/broker-host.js';
import { untilSignal } from './serve.js';
import { openAudit } from '../../host/audit-host.js';
import { eventLine } from './audit/event-line.js';
import { startPrompts } from '../prompts-host.js';
import { SignInOffer } from '../../host/sign-in-offer.js';
import { headlessUiService } from '../ui-host.js';

export interface DemoFlags {
  port?: string;
  'data-dir'?: string;
  /** Sign in as this demo user at once, without a browser (scripts, tests). */
  as?: string;
  'no-browser'?: boolean;
}

function demoPolicy(idp: DemoIdp, incidentsUrl: string, docsUrl: string): Policy {
  return PolicySchema.parse({
    version: 1,
    identity: { issuer: idp.issuer, clientId: idp.clientId },
    // Developers may read incidents; only SREs may change them or page the on-call engineer.
    roles: { developer: ['incidents.read', 'docs.read'], sre: ['incidents.read', 'incidents.write', 'docs.read'] },
    servers: [
      {
        id: 'incidents',
        name: 'Incident management (demo)',
        url: incidentsUrl,
        auth: { mode: 'none' },
        tools: [
          { match: 'list_*', scope: 'incidents.read' },
          { match: 'get_*', scope: 'incidents.read' },
          { match: '*', scope: 'incidents.write' },
        ],
      },
      { id: 'docs', name: 'Knowledge base (demo)', url: docsUrl, auth: { mode: 'none' }, tools: [{ match: '*', scope: 'docs.read' }] },
    ],
  });
}

export async function demo(ctx: Context, flags: DemoFlags): Promise<void> {
  const user = flags.as;
  if (user !== undefined && !DEMO_USERS.some((u) => u.username === user)) {
    throw new GatehouseError('GATEHOUSE_USAGE', `--as must be one of the demo users: ${DEMO_USERS.map((u) => u.username).join(', ')}`);
  }
  const ownDir = flags['data-dir'] === undefined;
  const dataDir = await ensureDataDir(flags['data-dir'] ?? (await mkdtemp(path.join(tmpdir(), 'gatehouse-demo-'))));
  const [incidents, docs, idp] = await Promise.all([startIncidentsServer(), startDocsServer(), startDemoIdp({ resources: [] })]);
  const policy = demoPolicy(idp, incidents.url, docs.url);
  const audit = openAudit(ctx, policy, dataDir, { background: true });
  // A live audit trail on the terminal: what a security team would later read with `gatehouse audit`.
  audit.log.onWritten((events) => {
    for (const event of events) ctx.out(`audit  ${eventLine(event)}\n`);
  });
  // The demo's sign-in lives in memory: its IdP is gone when the demo stops, and the user's keychain
  // is no place for demo tokens.
  const session = new IdentitySession({
    config: policy.identity!,
    secrets: new MemorySecretStore(),
    logger: ctx.logger,
    allowInsecureIssuer: true,
    prompter: { requestSignIn: () => undefined },
    audit: audit.log,
  });
  const browser = flags['no-browser'] ? undefined : systemBrowser(ctx.platform);
  // The Gatehouse UI in the browser: the dashboard, the activity view, and the prompts (quarantined tools, questions).
  const prompts = await startPrompts(ctx, 'browser', { opener: browser, allowLoopbackHttp: true });
  const policySource = 'the embedded demo policy';
  const running = await startBroker(ctx, policy, dataDir, parsePort(flags.port) ?? 0, {
    session,
    audit: audit.log,
    policySource,
    prompter: prompts.prompter,
    ...(prompts.notify ? { notify: prompts.notify } : {}),
  });
  const offer = new SignInOffer(ctx, browser);
  offer.attach(session);
  const calls = headlessUiService(ctx, { policy, policySource, running, board: prompts.board, session, audit: audit.log, signIn: () => offer.offer('asked from the dashboard') });
  const ui = await prompts.serveUi?.(calls).catch(() => undefined);
  const stop = async (): Promise<void> => {
    signingIn.abort(new Error('the demo stopped'));
    offer.stop();
    await running.stop();
    await prompts.stop();
    calls.close();
    await audit.close();
    await Promise.all([incidents.close(), docs.close(), idp.stop()]);
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };
  const signingIn = new AbortController();
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
      `  Demo IdP:                ${idp.issuer} (users: dev / dev as developer, sre / sre as SRE)`,
      `  Roles:                   developer reads incidents and docs; sre may also update incidents and page on-call`,
      `  Demo client:             'demo' (token below; data dir ${dataDir})`,
      `  Audit trail:             printed below as it is written ("audit" lines); also \`gatehouse audit tail --data-dir ${dataDir}\``,
      ...(ui ? [`  Dashboard:               ${ui.link()} (one-time link: opens the Gatehouse UI in one browser)`] : []),
      ``,
      `Paste into your IDE's MCP config (Cursor ~/.cursor/mcp.json; for VS Code use "servers" and add "type": "http"):`,
      JSON.stringify(ide, null, 2),
      ``,
      `Try it from a shell:`,
      `  curl -s ${running.url} -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \\`,
      `    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'`,
      ``,
    ].join('\n'),
  );
  if (user !== undefined) {
    const status = await session.signIn({ opener: browserlessOpener(user), signal: signingIn.signal });
    ctx.out(`Signed in as ${status.subject} (${status.roles.join(', ')}).\n`);
  } else {
    void keepOfferingSignIn(ctx, session, browser, signingIn.signal);
  }
  ctx.out(`Press Ctrl-C to stop.\nREADY ${JSON.stringify({ url: running.url, token })}\n`);
  await untilSignal(stop);
}

/** Until someone signs in: show the sign-in page (again after each timeout); tools are hidden meanwhile. */
async function keepOfferingSignIn(ctx: Context, session: IdentitySession, browser: Opener | undefined, signal: AbortSignal): Promise<void> {
  const opener: Opener = {
    async open(url) {
      ctx.out(`Sign in as dev or sre (password = user name) to see the tools of your role:\n${url.href}\n`);
      await browser?.open(url).catch(() => undefined);
    },
  };
  while (!signal.aborted) {
    try {
      const status = await session.signIn({ opener, signal });
      ctx.out(`Signed in as ${status.subject} (${status.roles.join(', ')}). Your IDE sees the tools of this role now.\n`);
      return;
    } catch (error) {
      if (signal.aborted) return;
      ctx.err(`gatehouse demo: sign-in did not complete (${(error as Error).message}); here is a fresh link.\n`);
    }
  }
}
