// Debian's Chromium driven by playwright-core, for tests that need a real browser (sign-in pages,
// later the UI). No browser is downloaded: the system one is used, as DESIGN.md asks.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Opener } from '../../main/core/ports/opener.js';

export const CHROMIUM_PATH = process.env['GATEHOUSE_TEST_CHROMIUM'] ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium; the caller closes it (browser.close()) in an after hook. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: 30_000 });
}

export interface PageOpener extends Opener {
  /** The page the URL was opened in, once open() was called. */
  readonly page: Promise<Page>;
  /** Closes the page's browser context (cookies and all). */
  close(): Promise<void>;
}

/** An Opener that opens each URL in a new page of a fresh browser context, as a system browser would. */
export function pageOpener(browser: Browser): PageOpener {
  let context: BrowserContext | undefined;
  let resolvePage!: (page: Page) => void;
  let rejectPage!: (error: unknown) => void;
  const page = new Promise<Page>((resolve, reject) => ((resolvePage = resolve), (rejectPage = reject)));
  page.catch(() => {});
  return {
    page,
    async open(url: URL) {
      try {
        context = await browser.newContext();
        const opened = await context.newPage();
        // Not awaited to the end: Gatehouse's callback page answers only after the code exchange.
        await opened.goto(url.href, { waitUntil: 'domcontentloaded' });
        resolvePage(opened);
      } catch (error) {
        rejectPage(error);
        throw error;
      }
    },
    async close() {
      await context?.close();
    },
  };
}

/** Fills and submits the demo IdP's login form on `page`. */
export async function submitDemoLogin(page: Page, username: string, password = username): Promise<void> {
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}
