// A BoardPrompter and its UiServer in this process, and Debian's Chromium signed in to it through
// the one-time link, on the Prompts view. The page talks to a real UiService (prompts.get,
// prompts.answer, the prompts topic) over a broker stand-in that has no servers: these tests are
// about the prompts; test/ui/core-harness.ts runs the whole core. Screenshots of every UI test go
// to test-results/screenshots/ (git-ignored). Every page error, console error and CSP violation is
// collected, so a test can assert the UI ran cleanly under its policy.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ClientRegistry } from '../../main/core/clients/registry.js';
import { PolicySchema } from '../../main/core/policy/schema.js';
import type { Opener } from '../../main/core/ports/opener.js';
import type { ApprovalRequest, ElicitationPrompt } from '../../main/core/ports/prompter.js';
import { BoardPrompter, type BoardPrompterOptions } from '../../main/core/prompts/board-prompter.js';
import type { UiBroker } from '../../main/core/ui/ui-deps.js';
import { UiService } from '../../main/core/ui/ui-service.js';
import { UiServer } from '../../main/headless/ui/ui-server.js';
import { launchChromium } from '../helpers/chromium.js';

export const SCREENSHOTS = path.join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

export interface UiHarness {
  browser: Browser;
  prompter: BoardPrompter;
  server: UiServer;
  /** URLs the prompter's opener was asked to open. */
  opened: URL[];
  /** How many sign-ins the user started from the UI. */
  signIns(): number;
  /** A fresh browser context signed in through a one-time link, on the Prompts view unless told otherwise. */
  openPage(options?: { colorScheme?: 'light' | 'dark'; view?: string }): Promise<UiPage>;
  stop(): Promise<void>;
}

export interface UiPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  screenshot(name: string): Promise<void>;
}

/**
 * A fresh browser context signed in through a one-time link, on `view`, waiting until the page is
 * connected; the context is added to `contexts` for the harness to close.
 */
export async function openUiPage(
  browser: Browser,
  contexts: BrowserContext[],
  link: string,
  options: { colorScheme: 'light' | 'dark'; view: string; width: number },
): Promise<UiPage> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', colorScheme: options.colorScheme, viewport: { width: options.width, height: 900 } });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
  // The fragment survives the redirect that trades the link's token for a cookie.
  await page.goto(`${link}#/${options.view}`);
  await page.getByText('Connected to Gatehouse').waitFor();
  return {
    page,
    context,
    problems,
    screenshot: async (name) => void (await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })),
  };
}

/** A broker with no servers that is never paused: enough for the UI's prompts calls. */
const idleBroker: UiBroker = {
  url: 'http://127.0.0.1:1/mcp',
  paused: false,
  setPaused: async () => {},
  onPausedChange: () => () => {},
  health: { get: () => ({ state: 'unknown', since: 0 }), onChange: () => () => {} },
};

export async function startUiHarness(options: Omit<BoardPrompterOptions, 'opener'> = {}): Promise<UiHarness> {
  const opened: URL[] = [];
  const opener: Opener = { open: async (url) => void opened.push(url) };
  let signIns = 0;
  const prompter = new BoardPrompter({ allowLoopbackHttp: true, signIn: () => signIns++, ...options, opener });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-ui-prompts-'));
  const service = new UiService({
    version: 'test',
    policy: PolicySchema.parse({ version: 1, servers: [] }),
    policySource: 'test',
    broker: idleBroker,
    board: prompter,
    clients: new ClientRegistry({ dataDir }),
    topicIntervalMs: 0,
  });
  const [server, browser] = await Promise.all([UiServer.start({ calls: service }), launchChromium()]);
  await mkdir(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    prompter,
    server,
    opened,
    signIns: () => signIns,
    openPage: ({ colorScheme = 'light', view = 'prompts' } = {}) => openUiPage(browser, contexts, server.link(), { colorScheme, view, width: 1100 }),
    async stop() {
      prompter.close();
      for (const context of contexts) await context.close();
      await browser.close();
      await server.stop();
      service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const approvalRequest = (over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  id: `req-${Math.random().toString(36).slice(2)}`,
  client: { name: 'cursor', title: 'Cursor' },
  user: 'dana@example.com',
  server: { id: 'incidents', name: 'Incidents' },
  tool: { name: 'page_oncall', title: 'Page on-call', description: 'Pages the on-call engineer for a service.' },
  arguments: { service: 'payments', reason: 'db down', token: 'ghp_…89' },
  reasons: ["'page_oncall' may change things (it does not say it only reads)."],
  expiresAt: Date.now() + 120_000,
  ...over,
});

export const formPrompt = (requestedSchema: Record<string, unknown>, message = 'Tell us about the incident.'): ElicitationPrompt => ({
  id: `eli-${Math.random().toString(36).slice(2)}`,
  client: { name: 'cursor', title: 'Cursor' },
  server: { id: 'incidents', name: 'Incidents' },
  message,
  expiresAt: Date.now() + 120_000,
  mode: 'form',
  requestedSchema,
});

export const urlPrompt = (url: string): ElicitationPrompt => ({
  id: `url-${Math.random().toString(36).slice(2)}`,
  client: { name: 'cursor', title: 'Cursor' },
  server: { id: 'billing', name: 'Billing' },
  message: 'Connect your billing account to continue.',
  expiresAt: Date.now() + 120_000,
  mode: 'url',
  url,
});
