// The UI's calls (common/ui-api.ts), implemented once for every host: the desktop app answers them
// over IPC, the headless host over loopback HTTP, both by handing what arrived to handle(). Every
// request is checked against its call's schema before anything is done, and every answer against
// its response schema before it leaves; errors come back as { ok: false, error: { code, message } }
// with a GATEHOUSE_… code and a sentence for the user, never a stack or an internal detail (those
// go to the log).
import type { z } from 'zod';
import { isGatehouseError, type GatehouseErrorCode } from '../../../common/errors.js';
import { UI_CALLS, type GatehouseApi, type UiCallName, type UiRequest, type UiResponse, type UiResult, type UiTopic } from '../../../common/ui-api.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import { queryActivity, verifyActivity } from './activity.js';
import { clip } from './clip.js';
import { connectIde } from './connect-ide.js';
import { readDashboard } from './dashboard.js';
import { signOut, startSignIn } from './identity-calls.js';
import type { UiServiceDeps } from './ui-deps.js';
import { UiTopics } from './ui-topics.js';

export type { UiServiceDeps } from './ui-deps.js';

type Handlers = { [N in UiCallName]: (request: z.output<(typeof UI_CALLS)[N]['request']>) => Promise<UiResponse<N>> };

const INTERNAL_MESSAGE = 'Gatehouse could not answer this; the details are in its log. Try again, and tell your IT team if it keeps failing.';

export class UiService implements GatehouseApi {
  readonly #deps: UiServiceDeps;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #topics: UiTopics;
  readonly #handlers: Handlers;
  readonly #stopWatching: Array<() => void> = [];
  #auditPoll: { cancel(): void } | undefined;
  #closed = false;

  constructor(deps: UiServiceDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#logger = deps.logger ?? silentLogger;
    this.#topics = new UiTopics(this.#clock, this.#logger, deps.topicIntervalMs ?? 250);
    const { broker, board, identity, audit } = deps;
    this.#handlers = {
      'dashboard.get': () => readDashboard(deps, this.#clock, this.#logger),
      'prompts.get': async () => board.snapshot(),
      'prompts.answer': ({ id, answer }) => board.answer(id, answer),
      'activity.query': async (query) => queryActivity(audit, query),
      'activity.verify': async () => verifyActivity(audit),
      'identity.signIn': () => startSignIn(identity, deps.signIn),
      'identity.signOut': () => signOut(identity),
      'tools.setPaused': async ({ paused }) => {
        await broker.setPaused(paused);
        return { paused: broker.paused };
      },
      'clients.connect': async ({ kind }) => {
        const result = await connectIde(kind, broker.url, deps.clients, deps.ide);
        this.#topics.publish('dashboard');
        return result;
      },
    };
    const dashboard = () => this.#topics.publish('dashboard');
    this.#stopWatching.push(
      broker.health.onChange(dashboard),
      broker.onPausedChange(dashboard),
      board.subscribe(() => this.#topics.publish('prompts')),
      ...(identity ? [identity.onChange(dashboard)] : []),
      // Every written batch changes the activity and the dashboard's counts (and may be a pin, a
      // quarantine, a sign-in or a server going down).
      ...(audit
        ? [
            audit.onWritten(() => {
              this.#topics.publish('activity');
              this.#topics.publish('dashboard');
            }),
          ]
        : []),
    );
    this.#watchAuditHealth(deps.auditPollMs ?? 5_000);
  }

  /** Answers one call of the contract; `name` and `request` are whatever arrived, unchecked. */
  async handle(name: string, request: unknown): Promise<UiResult<unknown>> {
    if (!isCallName(name)) return failure('GATEHOUSE_BAD_REQUEST', `Gatehouse has no call named ${JSON.stringify(name.slice(0, 100))}.`);
    const call = UI_CALLS[name];
    const parsed = call.request.safeParse(request);
    if (!parsed.success) return failure('GATEHOUSE_BAD_REQUEST', `The request for ${name} does not fit the contract: ${describeIssues(parsed.error.issues)}.`);
    let value: unknown;
    try {
      value = await (this.#handlers[name] as (request: unknown) => Promise<unknown>)(parsed.data);
    } catch (error) {
      if (isGatehouseError(error) && error.code !== 'GATEHOUSE_INTERNAL') return failure(error.code, error.message);
      this.#logger.log('error', `the UI call ${name} failed`, { error: String(error), ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) });
      return failure('GATEHOUSE_INTERNAL', INTERNAL_MESSAGE);
    }
    const checked = call.response.safeParse(value);
    if (!checked.success) {
      this.#logger.log('error', `the answer to the UI call ${name} does not fit the contract; not sent`, { issues: describeIssues(checked.error.issues) });
      return failure('GATEHOUSE_INTERNAL', INTERNAL_MESSAGE);
    }
    return { ok: true, value: checked.data };
  }

  /** handle(), typed for callers in this process (tests, an in-process host). */
  call<N extends UiCallName>(name: N, request: UiRequest<N>): Promise<UiResult<UiResponse<N>>> {
    return this.handle(name, request) as Promise<UiResult<UiResponse<N>>>;
  }

  /** Calls `listener` when `topic` changed (bursts merged); returns the unsubscribe function. */
  subscribe(topic: UiTopic, listener: () => void): () => void {
    return this.#topics.subscribe(topic, listener);
  }

  /** Stops watching the broker's parts and drops every listener (the host is stopping). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#auditPoll?.cancel();
    for (const stop of this.#stopWatching.splice(0)) stop();
    this.#topics.close();
  }

  // The audit log says nothing when it starts or stops failing, or when shipping succeeds or fails:
  // while a dashboard is open, its state is looked at now and then, and a change is published.
  #watchAuditHealth(everyMs: number): void {
    const { audit } = this.#deps;
    if (audit === undefined) return;
    let seen = '';
    const look = () => {
      if (this.#closed) return;
      if (this.#topics.watched('dashboard')) {
        const now = auditState(audit);
        if (seen !== '' && now !== seen) this.#topics.publish('dashboard');
        seen = now;
      } else {
        seen = '';
      }
      this.#auditPoll = this.#clock.setTimeout(look, everyMs);
    };
    look();
  }
}

function auditState(audit: NonNullable<UiServiceDeps['audit']>): string {
  const health = audit.health();
  let outbox: unknown;
  try {
    const row = audit.current?.outbox();
    outbox = row && { lastSuccess: row.lastSuccess, lastError: row.lastError, parked: row.parked };
  } catch {
    outbox = 'unreadable';
  }
  return JSON.stringify({ ok: health.ok, failure: health.failure?.message, warning: health.warning, outbox });
}

function isCallName(name: string): name is UiCallName {
  return Object.hasOwn(UI_CALLS, name);
}

function failure(code: GatehouseErrorCode, message: string): UiResult<never> {
  return { ok: false, error: { code, message: clip(message, 4_000) } };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(the request)'}: ${issue.message}`);
  return `${shown.join('; ')}${issues.length > 5 ? `; and ${issues.length - 5} more` : ''}`;
}
