// The desktop app's entry (dist/main/electron/main.js, electron-builder.yml extraMetadata.main): a
// tray app running the same broker core as `gatehouse serve`. Glue only: what can be decided without
// Electron lives in the modules it imports, tested in plain Node under test/unit/electron/.
// ESM entry: everything that must happen before `ready` is done synchronously here, and nothing
// awaits at the top level (the ready event waits for the entry to finish evaluating).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { app, dialog, ipcMain, Notification, protocol, session, shell } from 'electron';
import { UI_IPC_CHANNELS } from '../../common/ui-ipc.js';
import { MACOS_BUNDLE_ID as APP_ID } from '../core/policy/sources/macos-managed-source.js';
import { streamLogger } from '../core/ports/logger.js';
import { stdio } from '../host/stdio-bridge.js';
import { APP_SCHEME } from './app-origin.js';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol.js';
import { desktopContext } from './desktop-context.js';
import { startDesktopCore, type DesktopCore, type DesktopCoreOptions } from './desktop-core.js';
import { desktopGatehouseCommand, parseDesktopArgs } from './desktop-options.js';
import { createCallDispatcher } from './ipc-dispatch.js';
import { openFileLogger, type FileLogger } from './log-file.js';
import { applyXdgAutostart, loginItemPlan } from './login-item.js';
import { denyAllPermissions, guardWebContents } from './navigation-guard.js';
import { createNotifier, type Notifier } from './notifications.js';
import { shellOpener } from './opener.js';
import { needsPromptWindow } from './prompt-window.js';
import { createQuitGuard } from './quit-guard.js';
import { forwardTopics } from './topics.js';
import { GatehouseTray } from './tray.js';
import { DesktopWindows } from './windows.js';

// This file runs as dist/main/electron/main.js: the app's root (app.asar when packaged) is three up.
const DIST = path.resolve(import.meta.dirname, '..', '..');
const ROOT = path.resolve(DIST, '..');
const PATHS = {
  preload: path.join(DIST, 'preload', 'index.cjs'),
  renderer: path.join(ROOT, 'renderer', 'dist'),
  trayIcons: path.join(ROOT, 'resources', 'tray'),
};

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
const command = parseDesktopArgs(process.argv.slice(app.isPackaged ? 1 : 2), app.isPackaged);

if (command.kind === 'stdio') {
  // An IDE launched the app as its stdio MCP server: no tray, no window, no lock; the log is stderr.
  const logger = streamLogger((line) => process.stderr.write(line));
  stdio(desktopContext(logger), { client: command.client, server: command.server }).then(
    () => app.exit(0),
    (error: unknown) => {
      logger.log('error', messageOf(error));
      app.exit(1);
    },
  );
} else if (!app.requestSingleInstanceLock()) {
  // Gatehouse already runs: it shows its dashboard (second-instance below), and this one leaves.
  app.quit();
} else {
  runApp(command.options, command.ignored);
}

function runApp(options: DesktopCoreOptions, ignored: string[]): void {
  const logger = openFileLogger(app.getPath('logs'), app.isPackaged ? {} : { mirror: (line) => process.stderr.write(line) });
  for (const flag of ignored) logger.log('warn', `${flag} is for development; the installed app ignores it`);
  // Windows shows a notification only for the app id its Start menu shortcut carries (electron-builder sets appId).
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  const opener = shellOpener(shell, { allowLoopbackHttp: options.insecureDev });
  const notify = createNotifier({ isSupported: () => Notification.isSupported(), create: (o) => new Notification(o) }, logger);
  const windows = new DesktopWindows({ preload: PATHS.preload, devTools: !app.isPackaged, logger });
  const running: { core?: DesktopCore; tray?: GatehouseTray; stopTopics?: () => void } = {};
  let starting: Promise<unknown> = Promise.resolve();

  app.on('second-instance', () => windows.showDashboard());
  // A tray app: closing its last window does not quit it.
  app.on('window-all-closed', () => undefined);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { opener, allowLoopbackHttp: options.insecureDev, logger }));
  // Held until the core stopped, even when Quit comes while it is still starting.
  app.on(
    'before-quit',
    createQuitGuard({
      async stop() {
        await starting.catch(() => undefined);
        running.tray?.destroy();
        running.stopTopics?.();
        ipcMain.removeHandler(UI_IPC_CHANNELS.call);
        await running.core?.stop();
        logger.log('info', 'Gatehouse stopped');
        await logger.close();
      },
      quit: () => app.quit(),
      logger,
    }),
  );
  process.once('SIGINT', () => app.quit());
  process.once('SIGTERM', () => app.quit());

  starting = app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession);
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: PATHS.renderer, readFile: (file) => readFile(file) }));
    let core: DesktopCore;
    try {
      core = await startDesktopCore(desktopContext(logger), options, {
        opener,
        showPrompts: () => windows.showPrompts(),
        notify: (notice) => notify({ ...notice, onClick: () => windows.showDashboard() }),
        askSignIn: (reason, start) =>
          notify({ level: 'info', title: 'Sign in to Gatehouse', message: `Your tools are hidden until you sign in (${reason}). Click here or use Sign in in the Gatehouse menu.`, onClick: start }),
        gatehouseCommand: desktopGatehouseCommand(process.execPath, process.argv, app.isPackaged),
      });
    } catch (error) {
      logger.log('error', 'Gatehouse could not start', { error: messageOf(error) });
      dialog.showErrorBox('Gatehouse cannot start', messageOf(error));
      await logger.close();
      app.exit(1);
      return;
    }
    running.core = core;
    ipcMain.handle(UI_IPC_CHANNELS.call, createCallDispatcher({ ui: core.ui, isOurWindow: (id) => windows.isOurs(id), logger }));
    running.stopTopics = forwardTopics(core.ui, () => windows.contents());
    // The prompt window goes away once nothing waits for an answer.
    core.ui.subscribe('prompts', () => {
      void core.ui.call('prompts.get', {}).then((result) => {
        if (result.ok && !needsPromptWindow(result.value)) windows.closePrompts();
      });
    });
    running.tray = new GatehouseTray({
      ui: core.ui,
      iconDir: PATHS.trayIcons,
      actions: { openDashboard: () => windows.showDashboard(), openPrompts: () => windows.showPrompts(), quit: () => app.quit() },
      notify,
      logger,
    });
    await applyLaunchAtLogin(core.policy.desktop.launchAtLogin, logger, notify);
  });
}

async function applyLaunchAtLogin(launchAtLogin: boolean, logger: FileLogger, notify: Notifier): Promise<void> {
  const plan = loginItemPlan({ launchAtLogin, platform: process.platform, packaged: app.isPackaged, executable: process.execPath, env: process.env, homedir: app.getPath('home') });
  try {
    if (plan.kind === 'login-item') {
      if (app.getLoginItemSettings().openAtLogin !== plan.openAtLogin) app.setLoginItemSettings({ openAtLogin: plan.openAtLogin });
    } else if (plan.kind === 'xdg-autostart') {
      const done = await applyXdgAutostart(plan);
      if (done !== 'unchanged') logger.log('info', `launch at login: autostart entry ${done}`, { file: plan.file });
    } else {
      logger.log('debug', `launch at login not applied: ${plan.reason}`);
    }
  } catch (error) {
    logger.log('warn', 'could not apply launch at login', { error: messageOf(error) });
    if (launchAtLogin) notify({ level: 'warning', title: 'Gatehouse', message: 'Your organisation wants Gatehouse to start when you log in, but it could not set that up. Start it yourself after logging in.' });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
