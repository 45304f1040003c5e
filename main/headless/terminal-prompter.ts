// Approval prompts in the terminal `gatehouse serve` runs in: one prompt at a time, read from the
// terminal's own input, shown on stderr so stdout stays for the URL lines scripts read. Without a
// terminal nobody can answer, and the host uses the denying prompter instead.
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ApprovalAnswer, ApprovalRequest, Prompter } from '../core/ports/prompter.js';

const ANSWERS: Record<string, ApprovalAnswer> = { a: 'allow-once', s: 'allow-session', d: 'deny' };
const MAX_SHOWN_ARGUMENTS = 2_000;

export class TerminalPrompter implements Prompter {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lines: Interface;
  private waiting: ((line: string) => void) | undefined;

  constructor(input: Readable, private readonly output: Writable) {
    this.lines = createInterface({ input, terminal: false });
    this.lines.on('line', (line) => this.waiting?.(line));
  }

  approve(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    // One prompt at a time: two at once would fight over the same input line.
    const turn = this.queue.then(() => this.ask(request, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private ask(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    if (signal.aborted) return Promise.resolve('deny');
    this.output.write(describe(request));
    return new Promise<ApprovalAnswer>((resolve) => {
      const done = (answer: ApprovalAnswer): void => {
        this.waiting = undefined;
        signal.removeEventListener('abort', withdrawn);
        resolve(answer);
      };
      const withdrawn = (): void => {
        this.output.write('  (withdrawn: the call ended or the time to answer ran out)\n');
        done('deny');
      };
      signal.addEventListener('abort', withdrawn, { once: true });
      this.waiting = (line) => {
        const answer = ANSWERS[line.trim().toLowerCase()];
        if (answer === undefined) return void this.output.write('  Type a (allow once), s (allow for this session) or d (deny): ');
        this.output.write(`  ${answer === 'deny' ? 'Denied.' : 'Allowed.'}\n`);
        done(answer);
      };
    });
  }

  close(): void {
    this.lines.close();
  }
}

function describe(request: ApprovalRequest): string {
  const args = JSON.stringify(request.arguments, null, 2) ?? '{}';
  const shown = args.length > MAX_SHOWN_ARGUMENTS ? `${args.slice(0, MAX_SHOWN_ARGUMENTS)}\n  … (${args.length - MAX_SHOWN_ARGUMENTS} more characters)` : args;
  const who = `${request.client.title ? `${request.client.title} (client '${request.client.name}')` : `client '${request.client.name}'`}${request.user ? ` for ${request.user}` : ''}`;
  const server = request.server.name ? `${request.server.name} ('${request.server.id}')` : `'${request.server.id}'`;
  return [
    '',
    `Gatehouse: approve a tool call? (answer within ${Math.max(0, Math.round((request.expiresAt - Date.now()) / 1000))} s, or it is denied)`,
    `  Who:   ${who}`,
    `  What:  ${request.tool.title ?? request.tool.name} on server ${server}`,
    ...(request.tool.description ? [`  Tool:  ${request.tool.description.split('\n')[0]}`] : []),
    ...request.reasons.map((r) => `  Why:   ${r}`),
    `  Arguments:`,
    ...shown.split('\n').map((l) => `    ${l}`),
    '  [a] allow once   [s] allow for this session   [d] deny: ',
  ].join('\n');
}
