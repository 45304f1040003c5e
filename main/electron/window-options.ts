// The options of every Gatehouse window. The web preferences are the Electron security checklist's:
// the page runs sandboxed, isolated from the preload, without Node, with web security on; they are
// spelled out even where they are Electron's defaults, so a future default cannot loosen them.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export interface WindowOptionsInput {
  /** The bundled preload (dist/preload/index.cjs). */
  preload: string;
  /** Developer tools: only in an unpackaged (development) app. */
  devTools: boolean;
  /** The OS is in dark mode: the window's background before the page paints. */
  dark: boolean;
}

export const PROMPT_WINDOW_TITLE = 'Gatehouse: your answer is needed';
export const DASHBOARD_WINDOW_TITLE = 'Gatehouse';

export function secureWebPreferences(input: Pick<WindowOptionsInput, 'preload' | 'devTools'>): WebPreferences {
  return {
    preload: input.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: input.devTools,
  };
}

function common(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    // Shown when the page is ready, so there is no white flash and focus lands on the page.
    show: false,
    // Windows and Linux: no File/Edit menu bar; the app's own tray menu is the menu.
    autoHideMenuBar: true,
    backgroundColor: input.dark ? '#14171c' : '#f7f7f5',
    webPreferences: secureWebPreferences(input),
  };
}

export function dashboardWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return { ...common(input), title: DASHBOARD_WINDOW_TITLE, width: 1100, height: 760, minWidth: 720, minHeight: 480, center: true };
}

/**
 * Approvals and servers' questions: a native window with Gatehouse's title (never the page's), on top
 * of other windows and focused, sized for one prompt; it cannot be minimised out of sight or go full
 * screen. Closing it is a valid way out: what is pending times out and counts as denied.
 */
export function promptWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    ...common(input),
    title: PROMPT_WINDOW_TITLE,
    width: 560,
    height: 680,
    minWidth: 420,
    minHeight: 420,
    center: true,
    alwaysOnTop: true,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: false,
  };
}
