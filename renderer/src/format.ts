// How times, counts and hashes read in the UI, in one place.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const count = new Intl.NumberFormat();

export const formatTime = (ms: number): string => dateTime.format(ms);
export const formatCount = (n: number): string => count.format(n);

/** "3 minutes ago", by the host's clock (`now`). */
export function formatAgo(ms: number, now: number): string {
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} seconds ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** A duration: tenths below 10 ms, whole milliseconds above. */
export const formatMs = (ms: number): string => `${ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms)} ms`;

/** The first 12 hex digits, enough to tell hashes apart by eye. */
export const shortHash = (hash: string): string => hash.slice(0, 12);

/** A value received as `unknown` (arguments, details), as indented JSON, cut when very long. */
export function prettyJson(value: unknown, max = 20_000): string {
  let text: string;
  try {
    text = JSON.stringify(value ?? null, null, 2) ?? 'null';
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

/** A `datetime-local` input's value as milliseconds (local time), or undefined when empty or invalid. */
export function fromLocalInput(value: string): number | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
