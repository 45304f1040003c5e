// What a person may see of a sensitive value: enough to recognise it, never enough to use it.
// At most a fifth of the characters show, from both ends (AKIA…LE, ghp_…x9, h…2).

export function maskValue(value: string): string {
  const n = value.length;
  const head = Math.min(4, Math.floor(n / 5));
  const tail = Math.min(2, Math.floor(n / 8));
  return `${value.slice(0, head)}…${value.slice(n - tail)}`;
}
