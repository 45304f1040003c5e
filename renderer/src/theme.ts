// Light or dark: the system's preference unless the user chose one, remembered in localStorage.
// The choice is applied as <html data-theme="light|dark">; styles.css follows prefers-color-scheme
// by itself until this runs, so there is no flash of the wrong theme.
import { useCallback, useEffect, useState } from 'react';

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

const KEY = 'gatehouse.theme';
const DARK = '(prefers-color-scheme: dark)';

function storedChoice(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return (THEME_CHOICES as readonly string[]).includes(value ?? '') ? (value as ThemeChoice) : 'system';
  } catch {
    return 'system'; // storage disabled: follow the system
  }
}

export interface ThemeState {
  choice: ThemeChoice;
  theme: Theme;
  choose(choice: ThemeChoice): void;
}

export function useTheme(): ThemeState {
  const [choice, setChoice] = useState<ThemeChoice>(storedChoice);
  const [systemDark, setSystemDark] = useState(() => matchMedia(DARK).matches);
  useEffect(() => {
    const query = matchMedia(DARK);
    const onChange = () => setSystemDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  // Another window of the app (or tab) changed it.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => event.key === KEY && setChoice(storedChoice());
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  const theme: Theme = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  const choose = useCallback((next: ThemeChoice) => {
    setChoice(next);
    try {
      if (next === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
    } catch {
      // Not remembered; it still applies to this page.
    }
  }, []);
  return { choice, theme, choose };
}
