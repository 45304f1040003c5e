// A BrowserPrompter and its UiServer in this process, and Debian's Chromium signed in to it through
// the one-time link. Screenshots go to test-artifacts/ui/ (git-ignored). Every page error, console
// error and CSP violation is collected, so a test can assert the UI ran cleanly under its policy.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Opener } from '../../main/core/ports/opener.js';
import type { ApprovalRequest, ElicitationPrompt } from '../../main/core/ports/prompter.js';
import { BrowserPrompter, type BrowserPrompterOptions } from '../../main/headless/ui/browser-prompter.js';
import { UiServer } from '../../main/headless/ui/ui-server.js';
import { launchChromium } from '../helpers/chromium.js';

export const ARTIFACTS = path.join(import.meta.dirname, '..', '..', 'test-artifacts', 'ui');

export interface UiHarness {
  browser: Browser;
  prompter: BrowserPrompter;
  server: UiServer;
  /** URLs the prompter's opener was asked to open. */
  opened: URL[];
  /** How many sign-ins the user started from the UI. */
  signIns(): number;
  /** A fresh browser context signed in through a one-time link, on the prompts page. */
  openPage(options?: { colorScheme?: 'light' | 'dark' }): Promise<UiPage>;
  stop(): Promise<void>;
}

export interface UiPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  screenshot(name: string): Promise<void>;
}

export async function startUiHarness(options: Omit<BrowserPrompterOptions, 'opener'> = {}): Promise<UiHarness> {
  const opened: URL[] = [];
  const opener: Opener = { open: async (url) => void opened.push(url) };
  let signIns = 0;
  const prompter = new BrowserPrompter({ allowLoopbackHttp: true, signIn: () => signIns++, ...options, opener });
  const [server, browser] = await Promise.all([UiServer.start({ board: prompter }), launchChromium()]);
  await mkdir(ARTIFACTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    prompter,
    server,
    opened,
    signIns: () => signIns,
    async openPage({ colorScheme = 'light' } = {}) {
      const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', colorScheme, viewport: { width: 1100, height: 900 } });
      contexts.push(context);
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
      page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
      await page.goto(server.link());
      await page.getByText('Connected to Gatehouse').waitFor();
      return {
        page,
        context,
        problems,
        screenshot: async (name) => void (await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })),
      };
    },
    async stop() {
      prompter.close();
      for (const context of contexts) await context.close();
      await browser.close();
      await server.stop();
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
