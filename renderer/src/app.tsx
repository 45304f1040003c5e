// The Gatehouse UI: one app for the desktop windows and the browser, over one GatehouseApi. The
// header names the views and says whether Gatehouse answers; what waits for the user is counted in
// the navigation and the tab title and announced to screen readers whatever view is open.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { GatehouseApi } from '../../common/ui-api.js';
import type { Connection, ConnectionState } from './connection.js';
import { usePrompts } from './prompts-state.js';
import { href, replaceRoute, useRoute, type View } from './route.js';
import { useTheme } from './theme.js';
import { ActivityView } from './views/activity-view.js';
import { DashboardView } from './views/dashboard-view.js';
import { PromptsPage } from './views/prompts-page.js';
import { SettingsView } from './views/settings-view.js';

const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting to Gatehouse…',
  connected: 'Connected to Gatehouse',
  reconnecting: 'Gatehouse cannot be reached; trying again…',
  'signed-out': 'This page is no longer signed in to Gatehouse. Open the link Gatehouse printed again.',
};

const VIEW_LABELS: Record<View, string> = { dashboard: 'Dashboard', activity: 'Activity', prompts: 'Prompts', settings: 'Settings' };

export function App({ api, connection }: { api: GatehouseApi; connection: Connection }) {
  const { route, navigated } = useRoute();
  const state = useSyncExternalStore(connection.subscribe, connection.get);
  const prompts = usePrompts(api);
  const theme = useTheme();
  const waiting = prompts.prompts?.length ?? 0;

  // A fresh link (no view named) opens on what waits for the user, if anything does.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || prompts.prompts === undefined) return;
    opened.current = true;
    if (route.defaulted && prompts.prompts.length > 0) replaceRoute('prompts');
  }, [prompts.prompts, route.defaulted]);

  useEffect(() => {
    document.title = `${waiting > 0 ? `(${waiting}) ` : ''}Gatehouse ${VIEW_LABELS[route.view].toLowerCase()}`;
  }, [waiting, route.view]);

  const main = useRef<HTMLElement>(null);
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault(); // the hash names views: move the focus instead
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <p className="brand">Gatehouse</p>
        <nav aria-label="Gatehouse">
          <ul>
            {(Object.keys(VIEW_LABELS) as View[]).map((view) => (
              <li key={view}>
                <a href={href(view)} aria-current={route.view === view ? 'page' : undefined}>
                  {VIEW_LABELS[view]}
                  {view === 'prompts' && waiting > 0 ? (
                    <span className="count" data-testid="prompt-count">
                      {' '}
                      {waiting}
                      <span className="visually-hidden"> waiting</span>
                    </span>
                  ) : null}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className={`connection ${state}`} role="status">
          {STATE_TEXT[state]}
        </p>
        <button type="button" className="theme-toggle" aria-pressed={theme.theme === 'dark'} onClick={() => theme.choose(theme.theme === 'dark' ? 'light' : 'dark')}>
          Dark theme
        </button>
      </header>
      {route.view !== 'prompts' && waiting > 0 ? (
        <p className="waiting">
          <a href={href('prompts')}>{waiting === 1 ? 'Something waits for your answer' : `${waiting} things wait for your answer`}: open Prompts</a>
        </p>
      ) : null}
      <main id="main" ref={main} tabIndex={-1}>
        {route.view === 'dashboard' ? (
          <DashboardView key="dashboard" api={api} focus={navigated} />
        ) : route.view === 'activity' ? (
          <ActivityView key="activity" api={api} focus={navigated} seq={route.seq} />
        ) : route.view === 'prompts' ? (
          <PromptsPage key="prompts" prompts={prompts} focus={navigated} />
        ) : (
          <SettingsView key="settings" api={api} focus={navigated} theme={theme} />
        )}
      </main>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {prompts.announcement}
      </div>
    </>
  );
}
