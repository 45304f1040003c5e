// How the core asks the user something: approve a tool call, and (with the elicitation work) fill a
// form or consent to open a URL. One interface, several faces: Electron windows, the React UI in a
// browser on loopback, a terminal, and deny-by-default when nobody can answer. Whatever a prompter
// shows comes from here, already masked: it never sees a secret DLP found.

export type ApprovalAnswer = 'allow-once' | 'allow-session' | 'deny';

export interface ApprovalRequest {
  /** Unique per request, so a UI can tell two pending prompts apart. */
  id: string;
  /** Who asks: the registered client and what it says it is, and the signed-in user. */
  client: { name: string; title?: string | undefined };
  user: string | undefined;
  /** What: the server and the tool as the server describes it. */
  server: { id: string; name?: string | undefined };
  tool: { name: string; title?: string | undefined; description?: string | undefined };
  /** The arguments, with every DLP match masked. */
  arguments: unknown;
  /** Why the user is asked, in their words: a policy rule, a destructive tool, what DLP matched. */
  reasons: string[];
  /** When the request gives up and counts as denied. */
  expiresAt: number;
}

export interface Prompter {
  /** Resolves with the user's answer; rejects or answers 'deny' when nobody can answer. The signal
   *  aborts when the call is cancelled or times out: the prompt must then go away. */
  approve(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer>;
}

/** Nobody can answer (no UI, no terminal): everything that needs a person is denied. */
export const denyingPrompter: Prompter = {
  approve: () => Promise.resolve('deny'),
};
