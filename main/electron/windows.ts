// The dashboard and the prompt window: at most one of each, created on demand and shown when their
// page is ready. Both load our UI from app://gatehouse/ with the options of window-options.ts; the
// guard of navigation-guard.ts is applied to every WebContents by main.ts. The IPC handler asks
// isOurs() whether a sender is one of these windows.
import { app, BrowserWindow, nativeTheme, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { appUrl, type AppView } from './app-origin.js';
import { dashboardWindowOptions, promptWindowOptions, type WindowOptionsInput } from './window-options.js';
import type { Logger } from '../core/ports/logger.js';

export class DesktopWindows {
  readonly #windows = new Map<AppView, BrowserWindow>();
  readonly #ours = new Set<number>();

  constructor(private readonly options: { preload: string; devTools: boolean; logger: Logger }) {}

  showDashboard(): void {
    this.#show('dashboard', dashboardWindowOptions(this.#input()));
  }

  /** Brings the prompt window to the front, over other apps (and, on macOS, over full-screen ones). */
  showPrompts(): void {
    const window = this.#show('prompts', promptWindowOptions(this.#input()));
    if (process.platform === 'darwin') window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
  }

  closePrompts(): void {
    const window = this.#windows.get('prompts');
    if (window && !window.isDestroyed()) window.close();
  }

  isOurs(webContentsId: number): boolean {
    return this.#ours.has(webContentsId);
  }

  contents(): WebContents[] {
    return [...this.#windows.values()].filter((w) => !w.isDestroyed()).map((w) => w.webContents);
  }

  #input(): WindowOptionsInput {
    return { preload: this.options.preload, devTools: this.options.devTools, dark: nativeTheme.shouldUseDarkColors };
  }

  #show(view: AppView, options: BrowserWindowConstructorOptions): BrowserWindow {
    // A tray app (LSUIElement on macOS) is not the active app: take focus so keystrokes reach the window.
    if (process.platform === 'darwin') app.focus({ steal: true });
    const existing = this.#windows.get(view);
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    const window = new BrowserWindow(options);
    const id = window.webContents.id;
    this.#ours.add(id);
    this.#windows.set(view, window);
    window.removeMenu();
    window.once('ready-to-show', () => {
      window.show();
      window.focus();
    });
    window.on('closed', () => {
      this.#ours.delete(id);
      if (this.#windows.get(view) === window) this.#windows.delete(view);
    });
    window.loadURL(appUrl(view)).catch((error: unknown) => this.options.logger.log('error', `could not load the ${view} window`, { error: String(error) }));
    return window;
  }
}
