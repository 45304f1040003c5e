// The Prompter whose face is a UI watching a board of pending prompts: the React UI in the user's
// browser (served by the headless host on loopback) or in the desktop app's windows. Each approval,
// question, sign-in request or notice becomes a pending prompt on the board; the user's answer
// settles it. A prompt goes away when it is answered, when its caller's
// signal aborts, or when it expires (answered then as a denial / cancel). Answers to a form are
// checked against the form here, whatever the UI already checked; a URL is opened only after the
// user's consent, only if it is https (or loopback http in dev), and only through the given Opener.
import { randomUUID } from 'node:crypto';
import { GatehouseError } from '../../../common/errors.js';
import { parseRequestedSchema, validateContent, type FormField, type PatternMatcher } from '../../../common/elicitation-schema.js';
import { pendingPromptSchema, type AnswerResult, type PendingPrompt, type PromptAnswer, type PromptsSnapshot } from '../../../common/ui-contract.js';
import { isLoopbackHostname } from '../policy/server-url.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import type { Opener } from '../ports/opener.js';
import type { ApprovalAnswer, ApprovalRequest, ElicitationAnswer, ElicitationPrompt, Prompter } from '../ports/prompter.js';
import type { SignInPrompter } from '../ports/sign-in-prompter.js';
import { guardedPatternMatcher } from '../elicitation/pattern-guard.js';
import type { Notice, PromptBoard } from './prompt-board.js';

export interface BoardPrompterOptions {
  /** Opens a URL the user consented to (URL-mode elicitation). Without one, such requests are declined. */
  opener?: Opener;
  /** Tests and the demo: plain-http loopback URLs may be offered too. */
  allowLoopbackHttp?: boolean;
  /** Called when the user asks, from a sign-in prompt, to sign in now. Without it the prompt only informs. */
  signIn?: () => void;
  /** Called each time a prompt is put up, e.g. to print the UI's link when no page is watching. */
  onShow?: (prompt: PendingPrompt) => void;
  clock?: Clock;
  logger?: Logger;
  /** Tests `pattern`s of forms; by default with a time limit (patterns come from servers). */
  matcher?: PatternMatcher;
}

interface Entry {
  prompt: PendingPrompt;
  /** Settles the prompt with the user's answer (the kind is already checked). */
  settle(answer: PromptAnswer): Promise<AnswerResult>;
  /** Takes the prompt down without an answer from the user. */
  withdraw(): void;
}

const OK: AnswerResult = { ok: true };
const MAX_REMEMBERED_GONE = 1_000;
const MAX_NOTICES = 20;

export class BoardPrompter implements Prompter, SignInPrompter, PromptBoard {
  readonly #pending = new Map<string, Entry>();
  /** Prompts that were up and are not any more, so a late answer gets 410 rather than 404. */
  readonly #gone = new Set<string>();
  readonly #listeners = new Set<() => void>();
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #matcher: PatternMatcher;
  #closed = false;

  constructor(private readonly options: BoardPrompterOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#matcher = options.matcher ?? guardedPatternMatcher();
  }

  approve(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    return this.#ask<ApprovalAnswer>(signal, 'deny', (id, shownAt, resolve) => ({
      prompt: { id, shownAt, kind: 'approval', request: fitApproval(request) },
      settle: async (answer) => {
        if (answer.kind !== 'approval') return wrongKind();
        resolve(answer.answer);
        return OK;
      },
    }), request.expiresAt);
  }

  elicit(prompt: ElicitationPrompt, signal: AbortSignal): Promise<ElicitationAnswer> {
    const cancel: ElicitationAnswer = { action: 'cancel' };
    if (prompt.mode === 'form') {
      const form = parseRequestedSchema(prompt.requestedSchema);
      if (!form.ok) {
        return Promise.reject(new GatehouseError('GATEHOUSE_BAD_REQUEST', `Gatehouse cannot show server '${prompt.server.id}''s form: ${form.error}. Ask with a flat form of text, number, yes/no and choice fields.`));
      }
      return this.#ask<ElicitationAnswer>(signal, cancel, (id, shownAt, resolve) => ({
        prompt: { id, shownAt, kind: 'elicitation', prompt },
        settle: async (answer) => (answer.kind === 'elicitation' ? this.#settleForm(form.fields, answer.answer, resolve) : wrongKind()),
      }), prompt.expiresAt);
    }
    const problem = urlProblem(prompt.url, this.options.allowLoopbackHttp === true);
    if (problem !== undefined) {
      return Promise.reject(new GatehouseError('GATEHOUSE_UNSAFE_URL', `Gatehouse will not offer to open server '${prompt.server.id}''s URL: it ${problem}.`));
    }
    const opener = this.options.opener;
    if (opener === undefined) {
      this.#logger.log('warn', 'a server asked to open a URL, but this host cannot open one; declined', { server: prompt.server.id });
      return Promise.resolve({ action: 'decline' });
    }
    return this.#ask<ElicitationAnswer>(signal, cancel, (id, shownAt, resolve) => ({
      prompt: { id, shownAt, kind: 'elicitation', prompt },
      settle: async (answer) => {
        if (answer.kind !== 'elicitation') return wrongKind();
        if (answer.answer.action !== 'accept') {
          resolve({ action: answer.answer.action });
          return OK;
        }
        // Consent given: taken down first, so a second click cannot open the page twice.
        resolve({ action: 'accept' });
        try {
          await opener.open(new URL(prompt.url));
          return OK;
        } catch (error) {
          this.#logger.log('warn', 'could not open the URL the user consented to', { server: prompt.server.id, error: String(error) });
          return { ok: false, code: 'failed', message: `Gatehouse could not open your browser. Open ${prompt.url} yourself.` };
        }
      },
    }), prompt.expiresAt);
  }

  /** Shows that a sign-in is needed (once, however often it is asked). */
  requestSignIn(reason: string): void {
    if (this.#closed || [...this.#pending.values()].some((e) => e.prompt.kind === 'sign-in')) return;
    const canStart = this.options.signIn !== undefined;
    void this.#ask<void>(undefined, undefined, (id, shownAt, resolve) => ({
      prompt: { id, shownAt, kind: 'sign-in', reason: clip(reason, 2_000), canStart },
      settle: async (answer) => {
        if (answer.kind !== 'sign-in') return wrongKind();
        resolve();
        if (answer.answer === 'sign-in') this.options.signIn?.();
        return OK;
      },
    }));
  }

  /** Shows a notice until the user dismisses it; returns its id. The oldest go when there are too many. */
  notify(notice: Notice): string | undefined {
    if (this.#closed) return undefined;
    const notices = [...this.#pending.values()].filter((e) => e.prompt.kind === 'notice');
    for (const old of notices.slice(0, Math.max(0, notices.length - MAX_NOTICES + 1))) old.withdraw();
    let shownId: string | undefined;
    void this.#ask<void>(undefined, undefined, (id, shownAt, resolve) => {
      shownId = id;
      return {
        prompt: { id, shownAt, kind: 'notice', level: notice.level, title: clip(notice.title, 200), message: clip(notice.message, 5_000) },
        settle: async (answer) => {
          if (answer.kind !== 'notice') return wrongKind();
          resolve();
          return OK;
        },
      };
    });
    return shownId;
  }

  snapshot(): PromptsSnapshot {
    const prompts = [...this.#pending.values()].map((e) => e.prompt).reverse();
    return { type: 'snapshot', prompts, now: this.#clock.now() };
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  async answer(promptId: string, answer: PromptAnswer): Promise<AnswerResult> {
    const entry = this.#pending.get(promptId);
    if (entry === undefined) {
      return this.#gone.has(promptId)
        ? { ok: false, code: 'gone', message: 'This prompt is no longer waiting: it was answered, withdrawn, or its time ran out.' }
        : { ok: false, code: 'unknown', message: 'There is no such prompt.' };
    }
    if (entry.prompt.kind !== answer.kind) return wrongKind();
    return entry.settle(answer);
  }

  /** Nobody will answer any more (the host is stopping): everything pending is denied or cancelled. */
  close(): void {
    this.#closed = true;
    for (const entry of [...this.#pending.values()]) entry.withdraw();
  }

  async #settleForm(fields: FormField[], answer: ElicitationAnswer, resolve: (a: ElicitationAnswer) => void): Promise<AnswerResult> {
    if (answer.action !== 'accept') {
      resolve({ action: answer.action });
      return OK;
    }
    const checked = validateContent(fields, answer.content, this.#matcher);
    if (!checked.ok) return { ok: false, code: 'invalid', message: 'Some answers do not fit the form; correct them and send again.', errors: checked.errors };
    resolve({ action: 'accept', content: checked.content });
    return OK;
  }

  /**
   * Puts up a prompt and resolves with its answer, or with `fallback` when the signal aborts, the
   * prompt expires, or the prompter closes. `make` builds the entry given the id and a resolver
   * that also takes the prompt down.
   */
  #ask<T>(
    signal: AbortSignal | undefined,
    fallback: T,
    make: (id: string, shownAt: number, resolve: (answer: T) => void) => Omit<Entry, 'withdraw'>,
    expiresAt?: number,
  ): Promise<T> {
    if (this.#closed || signal?.aborted) return Promise.resolve(fallback);
    return new Promise<T>((resolvePromise) => {
      const id = randomUUID();
      let timer: { cancel(): void } | undefined;
      let done = false;
      const finish = (answer: T) => {
        if (done) return;
        done = true;
        timer?.cancel();
        signal?.removeEventListener('abort', withdraw);
        this.#pending.delete(id);
        this.#remember(id);
        this.#changed();
        resolvePromise(answer);
      };
      const withdraw = () => finish(fallback);
      const built = make(id, this.#clock.now(), finish);
      const parsed = pendingPromptSchema.safeParse(built.prompt);
      if (!parsed.success) {
        // Fail closed: what the UI could not show cannot be answered.
        this.#logger.log('error', 'a prompt does not fit the UI contract; answered as nobody', { kind: built.prompt.kind, issues: parsed.error.issues.map((i) => i.path.join('.')) });
        return resolvePromise(fallback);
      }
      this.#pending.set(id, { ...built, prompt: parsed.data, withdraw });
      signal?.addEventListener('abort', withdraw, { once: true });
      if (expiresAt !== undefined) timer = this.#clock.setTimeout(withdraw, Math.max(0, expiresAt - this.#clock.now()));
      this.#changed();
      this.options.onShow?.(parsed.data);
    });
  }

  #remember(id: string): void {
    this.#gone.add(id);
    if (this.#gone.size > MAX_REMEMBERED_GONE) this.#gone.delete(this.#gone.values().next().value!);
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        this.#logger.log('warn', 'a prompts listener failed', { error: String(error) });
      }
    }
  }
}

function wrongKind(): AnswerResult {
  return { ok: false, code: 'wrong-kind', message: 'That answer does not fit this kind of prompt.' };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The port's request, cut to what the contract carries (a server writes the tool's description). */
function fitApproval(request: ApprovalRequest): ApprovalRequest {
  return {
    ...request,
    tool: { ...request.tool, ...(request.tool.description !== undefined ? { description: clip(request.tool.description, 20_000) } : {}) },
    reasons: request.reasons.slice(0, 50).map((r) => clip(r, 2_000)),
  };
}

/** Why a server's URL may not be offered, or undefined. */
export function urlProblem(text: string, allowLoopbackHttp: boolean): string | undefined {
  if (!URL.canParse(text)) return 'is not a valid absolute URL';
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') return 'carries a user name or password, which can disguise its real host';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && allowLoopbackHttp && isLoopbackHostname(url.hostname)) return undefined;
  return url.protocol === 'http:' ? 'is not https' : `uses ${url.protocol.slice(0, -1)}, not https`;
}
