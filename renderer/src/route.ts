// Which view is shown, from the address's hash: #/dashboard (the default), #/activity (and
// #/activity/<seq> for one event), #/prompts, #/settings. The desktop app opens its windows at
// app://gatehouse/index.html#/dashboard and #/prompts; the browser UI at the one-time link.
import { useEffect, useState } from 'react';

export const VIEWS = ['dashboard', 'activity', 'prompts', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** #/activity/<seq>: the event shown in detail. */
  seq?: number;
  /** The address named no view (a fresh link): the dashboard, unless prompts are waiting. */
  defaulted: boolean;
}

export function parseRoute(hash: string): Route {
  const [view, rest, ...more] = hash.replace(/^#\/?/, '').split('/');
  if (!(VIEWS as readonly string[]).includes(view ?? '')) return { view: 'dashboard', defaulted: hash === '' || hash === '#' || hash === '#/' };
  if (view === 'activity' && rest !== undefined && more.length === 0 && /^[1-9]\d{0,15}$/.test(rest)) return { view, seq: Number(rest), defaulted: false };
  return { view: view as View, defaulted: false };
}

export function href(view: View, seq?: number): string {
  return seq === undefined ? `#/${view}` : `#/${view}/${seq}`;
}

/** Shows `view` instead of the current one, without a new history entry. */
export function replaceRoute(view: View): void {
  location.replace(href(view));
}

export interface RouteState {
  route: Route;
  /** The user moved here (a link, Back): the view takes the focus. False for the first view shown. */
  navigated: boolean;
}

export function useRoute(): RouteState {
  const [state, setState] = useState<RouteState>(() => ({ route: parseRoute(location.hash), navigated: false }));
  useEffect(() => {
    const onChange = () => setState({ route: parseRoute(location.hash), navigated: true });
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return state;
}
