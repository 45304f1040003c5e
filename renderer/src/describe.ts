// How prompts name who asks and what for, in one place so every card says it the same way.
import type { PendingPrompt } from '../../common/ui-contract.js';

type ClientRef = { name: string; title?: string | undefined };
type ServerRef = { id: string; name?: string | undefined };

export const clientLabel = (c: ClientRef): string => (c.title ? `${c.title} (client “${c.name}”)` : `client “${c.name}”`);
export const serverLabel = (s: ServerRef): string => (s.name ? `${s.name} (“${s.id}”)` : `“${s.id}”`);
export const serverShort = (s: ServerRef): string => s.name ?? s.id;

/** One line for the list of waiting prompts and for announcements. */
export function summary(p: PendingPrompt): string {
  switch (p.kind) {
    case 'approval':
      return `Approve ${p.request.tool.title ?? p.request.tool.name} on ${serverShort(p.request.server)}`;
    case 'elicitation':
      return p.prompt.mode === 'url' ? `${serverShort(p.prompt.server)} wants to open a web page` : `${serverShort(p.prompt.server)} asks for information`;
    case 'sign-in':
      return 'Sign-in needed';
    case 'notice':
      return p.title;
  }
}

/** The host part of a URL, as the browser will connect to it (IDN shown as punycode). */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
