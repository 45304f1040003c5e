// Who answers the prompts of a headless broker (approvals, a server's questions): the prompts page
// in the browser (the same React UI the desktop app shows), the terminal serve runs in, or nobody
// (everything that needs a person is denied). The page is reached by a one-time link on loopback.
import { GatehouseError } from '../../common/errors.js';
import { denyingPrompter, type Prompter } from '../core/ports/prompter.js';
import type { Opener } from '../core/ports/opener.js';
import type { Context } from './context.js';
import { TerminalPrompter } from './terminal-prompter.js';
import { BrowserPrompter } from './ui/browser-prompter.js';
import { UiServer } from './ui/ui-server.js';
import type { Notify } from './tool-pinning-host.js';

export type PromptsMode = 'browser' | 'terminal' | 'none';

export interface PromptsHost {
  prompter: Prompter;
  /** Shows a notice where prompts are answered (the prompts page); the log has it in any case. */
  notify?: Notify;
  stop(): Promise<void>;
}

export function parsePromptsMode(value: string | undefined): PromptsMode {
  if (value === undefined) return 'browser';
  if (value === 'browser' || value === 'terminal' || value === 'none') return value;
  throw new GatehouseError('GATEHOUSE_USAGE', `--prompts must be browser, terminal or none (got ${JSON.stringify(value)})`);
}

export async function startPrompts(ctx: Context, mode: PromptsMode, options: { opener: Opener | undefined; allowLoopbackHttp: boolean; signIn?: () => void }): Promise<PromptsHost> {
  if (mode === 'none') return { prompter: denyingPrompter, stop: () => Promise.resolve() };
  if (mode === 'terminal') {
    if (!process.stdin.isTTY) throw new GatehouseError('GATEHOUSE_USAGE', '--prompts terminal needs a terminal; use --prompts browser');
    const terminal = new TerminalPrompter(process.stdin, process.stderr);
    return { prompter: terminal, stop: () => Promise.resolve(terminal.close()) };
  }
  const { opener } = options;
  // The page's server starts with the first prompt: most runs never need one, and serving the UI
  // from a checkout means building it first.
  let ui: Promise<UiServer> | undefined;
  const prompter: BrowserPrompter = new BrowserPrompter({
    ...(opener ? { opener } : {}),
    allowLoopbackHttp: options.allowLoopbackHttp,
    logger: ctx.logger,
    ...(options.signIn ? { signIn: options.signIn } : {}),
    // Nobody has the page open: say where to answer, and open it when a browser may be opened.
    onShow: () => {
      ui ??= UiServer.start({ board: prompter, logger: ctx.logger });
      ui.then(
        (server) => {
          if (server.watchers > 0) return;
          const link = server.link();
          ctx.out(`Gatehouse is waiting for your answer: ${link}\n`);
          void opener?.open(new URL(link)).catch(() => undefined);
        },
        (error: unknown) => ctx.logger.log('error', 'could not start the prompts page; pending prompts will time out and count as denied', { error: String(error) }),
      );
    },
  });
  return {
    prompter,
    notify: (notice) => void prompter.notify(notice),
    async stop() {
      prompter.close();
      await (await ui?.catch(() => undefined))?.stop();
    },
  };
}
