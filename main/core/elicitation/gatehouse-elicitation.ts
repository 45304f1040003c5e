// Answers a server's elicitation/create with Gatehouse's own prompt instead of the IDE's. The form's
// schema is parsed before anything is shown (a schema outside MCP's restricted subset is refused),
// the user's answer is validated against it again (the UI is not trusted to have done so), and a URL
// is shown only when it passes the same checks as any URL a server advertises.
import { randomUUID } from 'node:crypto';
import { parseRequestedSchema, validateContent } from '../../../common/elicitation-schema.js';
import { checkUntrustedUrl } from '../net/url-guard.js';
import { guardedPatternMatcher } from './pattern-guard.js';
import type { DlpStep } from '../guard/dlp/dlp-step.js';
import { screenAnswer } from './screen-answer.js';
import type { Params } from '../mcp/jsonrpc.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { ElicitationAnswer, ElicitationPrompt, Prompter } from '../ports/prompter.js';

export interface ElicitationContext {
  clientName: string;
  clientTitle: string | undefined;
  serverId: string;
  serverName: string | undefined;
}

export type ElicitationOutcome = { ok: true; result: Params } | { ok: false; code: number; message: string };

const INVALID_PARAMS = -32602;

export class GatehouseElicitation {
  private readonly matchPattern = guardedPatternMatcher();

  constructor(
    private readonly prompter: Prompter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly allowLoopbackHttp: boolean,
    private readonly dlp: DlpStep,
  ) {}

  async answer(context: ElicitationContext, params: Params | undefined, signal?: AbortSignal): Promise<ElicitationOutcome> {
    const p = params ?? {};
    const message = typeof p['message'] === 'string' ? p['message'] : '';
    const base = {
      id: randomUUID(),
      client: { name: context.clientName, title: context.clientTitle },
      server: { id: context.serverId, name: context.serverName },
      message,
      expiresAt: this.clock.now() + this.timeoutMs,
    };
    let prompt: ElicitationPrompt;
    let validate: (content: unknown) => ElicitationAnswer;
    if (p['mode'] === 'url') {
      let url: URL;
      try {
        url = checkUntrustedUrl(String(p['url'] ?? ''), { allowLoopbackHttp: this.allowLoopbackHttp, allowedHosts: [] }, `the URL server '${context.serverId}' asked the user to open`);
      } catch (error) {
        return { ok: false, code: INVALID_PARAMS, message: (error as Error).message };
      }
      prompt = { ...base, mode: 'url', url: url.href };
      validate = () => ({ action: 'accept' });
    } else {
      const form = parseRequestedSchema(p['requestedSchema']);
      if (!form.ok) return { ok: false, code: INVALID_PARAMS, message: `Gatehouse cannot show this form: ${form.error}` };
      prompt = { ...base, mode: 'form', requestedSchema: p['requestedSchema'] as Record<string, unknown> };
      validate = (content) => {
        // The form's patterns come from the server: matched with a time limit, so one built to
        // backtrack cannot stall the broker.
        const checked = validateContent(form.fields, content, this.matchPattern);
        if (checked.ok) return { action: 'accept', content: checked.content };
        // The UI validates too; an answer that still fails is not sent upstream half-right.
        this.logger.log('warn', 'an elicitation answer did not match its form and was not sent', { server: context.serverId, fields: Object.keys(checked.errors) });
        return { action: 'cancel' };
      };
    }
    if (!this.prompter.elicit) return { ok: true, result: { action: 'decline' } };
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = this.clock.setTimeout(() => controller.abort(new Error('no answer in time')), this.timeoutMs);
    try {
      const timedOut = new Promise<ElicitationAnswer>((resolve) => controller.signal.addEventListener('abort', () => resolve({ action: 'cancel' }), { once: true }));
      const answer = await Promise.race([this.prompter.elicit(prompt, controller.signal), timedOut]);
      const result = answer.action === 'accept' ? validate(answer.content ?? {}) : answer;
      return { ok: true, result: screenAnswer(this.dlp, this.logger, context.serverId, result as unknown as Params) };
    } catch (error) {
      this.logger.log('warn', 'the elicitation prompt failed; answered cancel', { server: context.serverId, error: String(error) });
      return { ok: true, result: { action: 'cancel' } };
    } finally {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
      controller.abort(new Error('answered'));
    }
  }
}
