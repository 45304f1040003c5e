import { useEffect, useRef, useState, type RefObject } from 'react';

/** The current time, ticking every `everyMs`. */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** How long a newly shown prompt ignores the buttons that say yes, so a keystroke or click meant for
 *  something else cannot approve it (as browsers do for their own permission prompts). */
export const ARMING_DELAY_MS = 700;

/** False for ARMING_DELAY_MS after the component mounts, then true. */
export function useArmed(delayMs = ARMING_DELAY_MS): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setArmed(true), delayMs);
    return () => clearTimeout(timer);
  }, [delayMs]);
  return armed;
}

/** Focuses `ref` once, when the component mounts. */
export function useFocusOnMount<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

/** Runs `action` once at a time; `busy` while it runs (no double answers from a double click). */
export function useOnce(): [boolean, <R>(action: () => Promise<R>) => Promise<R | undefined>] {
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const run = async <R,>(action: () => Promise<R>): Promise<R | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    try {
      return await action();
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return [busy, run];
}
