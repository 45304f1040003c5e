// Who answers the prompts of a headless broker (approvals, a server's questions): the Gatehouse UI
// in the browser (the same React UI the desktop app shows, with its dashboard), the terminal serve
// runs in, or nobody (everything that needs a person is denied). The UI is reached by a one-time
// link on loopback; its server starts with the broker, and builds the page only when it is opened.
import { GatehouseError } from '../../common/errors.js';
import { systemClock } from '../core/ports/clock.js';
import { denyingPrompter, type Prompter } from '../core/ports/prompter.js';
import type { Opener } from '../core/ports/opener.js';
import { emptyPromptBoard, type PromptBoard } from '../core/prompts/prompt-board.js';
import type { Context } from '../host/context.js';
import { TerminalPrompter } from './terminal-prompter.js';
import { BoardPrompter } from '../core/prompts/board-prompter.js';
import { loadUiAssets } from './ui/ui-assets.js';
import { UiServer, type UiCalls } from './ui/ui-server.js';
import type { Notify } from '../host/tool-pinning-host.js';

export type PromptsMode = 'browser' | 'terminal' | 'none';

export interface PromptsHost {
  prompter: Prompter;
  /** What the UI shows as waiting: the browser prompter's board, or an empty one in the other modes. */
  board: PromptBoard;
  /** Shows a notice where prompts are answered (the prompts page); the log has it in any case. */
  notify?: Notify;
  /**
   * Browser mode only: starts the UI server (prompts, dashboard, activity, settings) answering
   * `calls`; call it once the broker runs. A prompt put up before waits for it.
   */
  serveUi?(calls: UiCalls): Promise<UiServer>;
  stop(): Promise<void>;
}

export function parsePromptsMode(value: string | undefined): PromptsMode {
  if (value === undefined) return 'browser';
  if (value === 'browser' || value === 'terminal' || value === 'none') return value;
  throw new GatehouseError('GATEHOUSE_USAGE', `--prompts must be browser, terminal or none (got ${JSON.stringify(value)})`);
}

export async function startPrompts(ctx: Context, mode: PromptsMode, options: { opener: Opener | undefined; allowLoopbackHttp: boolean; signIn?: () => void }): Promise<PromptsHost> {
  if (mode === 'none') return { prompter: denyingPrompter, board: emptyPromptBoard(systemClock), stop: () => Promise.resolve() };
  if (mode === 'terminal') {
    if (!process.stdin.isTTY) throw new GatehouseError('GATEHOUSE_USAGE', '--prompts terminal needs a terminal; use --prompts browser');
    const terminal = new TerminalPrompter(process.stdin, process.stderr);
    return { prompter: terminal, board: emptyPromptBoard(systemClock), stop: () => Promise.resolve(terminal.close()) };
  }
  const { opener } = options;
  let ui: Promise<UiServer> | undefined;
  let uiStarted!: (server: UiServer) => void;
  const uiReady = new Promise<UiServer>((resolve) => (uiStarted = resolve));
  const prompter: BoardPrompter = new BoardPrompter({
    ...(opener ? { opener } : {}),
    allowLoopbackHttp: options.allowLoopbackHttp,
    logger: ctx.logger,
    ...(options.signIn ? { signIn: options.signIn } : {}),
    // Nobody has the page open: say where to answer, and open it when a browser may be opened.
    onShow: () =>
      void uiReady.then((server) => {
        if (server.watchers > 0) return;
        const link = server.link();
        ctx.out(`Gatehouse is waiting for your answer: ${link}\n`);
        void opener?.open(new URL(link)).catch(() => undefined);
      }),
  });
  return {
    prompter,
    board: prompter,
    notify: (notice) => void prompter.notify(notice),
    serveUi(calls) {
      // Serving the page from a checkout means building it first (a second or so): done when it is first opened.
      ui ??= UiServer.start({ calls, logger: ctx.logger, assets: () => loadUiAssets(ctx.logger) }).then(
        (server) => {
          uiStarted(server);
          return server;
        },
        (error: unknown) => {
          ctx.logger.log('error', 'could not start the Gatehouse UI; prompts will time out and count as denied', { error: String(error) });
          throw error;
        },
      );
      return ui;
    },
    async stop() {
      prompter.close();
      await (await ui?.catch(() => undefined))?.stop();
    },
  };
}
