// The tray icon: its image, tooltip and menu follow the dashboard and the pending prompts (tray-view.ts
// says what to show), re-read whenever the UI service says either changed. Menu actions are UI calls
// like the windows make; their outcome is told in a notification.
import path from 'node:path';
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { UiCallName, UiRequest } from '../../common/ui-api.js';
import type { Logger } from '../core/ports/logger.js';
import type { UiService } from '../core/ui/ui-service.js';
import type { Notifier } from './notifications.js';
import { trayIconName, trayView, type TrayActions, type TrayInput, type TrayState } from './tray-view.js';

export interface TrayDeps {
  ui: Pick<UiService, 'call' | 'subscribe'>;
  /** resources/tray in the app. */
  iconDir: string;
  actions: Omit<TrayActions, 'call'>;
  notify: Notifier;
  logger: Logger;
}

export class GatehouseTray {
  readonly #tray: Tray;
  readonly #icons = new Map<TrayState, NativeImage>();
  readonly #stops: Array<() => void>;
  #input: TrayInput = {};
  #refreshing = false;
  #again = false;
  #destroyed = false;

  constructor(private readonly deps: TrayDeps) {
    this.#tray = new Tray(this.#icon('ready'));
    // Windows opens the dashboard on a click; macOS and Linux show the menu.
    this.#tray.on('click', () => {
      if (process.platform === 'win32') deps.actions.openDashboard();
    });
    this.#render();
    this.#stops = [deps.ui.subscribe('dashboard', () => this.refresh()), deps.ui.subscribe('prompts', () => this.refresh())];
    this.refresh();
  }

  /** Reads the state again (one read at a time; changes during a read cause one more). */
  refresh(): void {
    if (this.#destroyed) return;
    if (this.#refreshing) {
      this.#again = true;
      return;
    }
    this.#refreshing = true;
    void Promise.all([this.deps.ui.call('dashboard.get', {}), this.deps.ui.call('prompts.get', {})])
      .then(([dashboard, prompts]) => {
        this.#input = dashboard.ok
          ? { dashboard: dashboard.value, ...(prompts.ok ? { prompts: prompts.value } : {}) }
          : { error: dashboard.error.message, ...(prompts.ok ? { prompts: prompts.value } : {}) };
      })
      .catch((error: unknown) => (this.#input = { error: String(error) }))
      .finally(() => {
        this.#refreshing = false;
        this.#render();
        if (this.#again) {
          this.#again = false;
          this.refresh();
        }
      });
  }

  destroy(): void {
    this.#destroyed = true;
    for (const stop of this.#stops) stop();
    this.#tray.destroy();
  }

  #render(): void {
    if (this.#destroyed) return;
    const view = trayView(this.#input, { ...this.deps.actions, call: (name, request) => this.#call(name, request) });
    this.#tray.setImage(this.#icon(view.state));
    this.#tray.setToolTip(view.tooltip);
    this.#tray.setContextMenu(Menu.buildFromTemplate(view.menu));
  }

  #call<N extends UiCallName>(name: N, request: UiRequest<N>): void {
    void this.deps.ui.call(name, request).then((result) => {
      if (!result.ok) return this.deps.notify({ level: 'error', title: 'Gatehouse', message: result.error.message });
      const value = result.value as { message?: unknown };
      if (typeof value.message === 'string') this.deps.notify({ level: 'info', title: 'Gatehouse', message: value.message });
      this.refresh();
    });
  }

  #icon(state: TrayState): NativeImage {
    let icon = this.#icons.get(state);
    if (icon === undefined) {
      // nativeImage picks <name>@2x.png next to it on high-density screens.
      icon = nativeImage.createFromPath(path.join(this.deps.iconDir, trayIconName(state, process.platform)));
      if (icon.isEmpty()) this.deps.logger.log('warn', `the tray icon for ${state} is missing`, { dir: this.deps.iconDir });
      this.#icons.set(state, icon);
    }
    return icon;
  }
}
