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

/** A server asks the user something (MCP elicitation), shown by Gatehouse as the user's own UI. */
export type ElicitationPrompt = {
  id: string;
  client: { name: string; title?: string | undefined };
  server: { id: string; name?: string | undefined };
  message: string;
  expiresAt: number;
} & (
  | {
      mode: 'form';
      /** The restricted JSON Schema of MCP elicitation: a flat object of string, number, integer,
       *  boolean and enum (plain, titled oneOf, multi-select array) properties, with constraints and defaults. */
      requestedSchema: Record<string, unknown>;
    }
  | {
      mode: 'url';
      /** Already checked: https (or loopback http in dev); shown with its full host before consent. */
      url: string;
    }
);

export type ElicitationAnswer =
  | { action: 'accept'; content?: Record<string, string | number | boolean | string[]> }
  | { action: 'decline' }
  | { action: 'cancel' };

export interface Prompter {
  /** Resolves with the user's answer; rejects or answers 'deny' when nobody can answer. The signal
   *  aborts when the call is cancelled or times out: the prompt must then go away. */
  approve(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer>;
  /** Shows a server's question. A form answer is validated against the schema by the caller too. */
  elicit?(prompt: ElicitationPrompt, signal: AbortSignal): Promise<ElicitationAnswer>;
}

/** Nobody can answer (no UI, no terminal): everything that needs a person is denied. */
export const denyingPrompter: Prompter = {
  approve: () => Promise.resolve('deny'),
  elicit: () => Promise.resolve({ action: 'decline' }),
};
