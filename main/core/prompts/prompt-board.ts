// What a UI needs from the prompter to show and answer prompts: the loopback HTTP server of the
// headless host, the desktop app's IPC, and the UI service behind both. BoardPrompter is the one
// that puts prompts up; a host whose prompts are answered elsewhere (a terminal, nobody) shows an
// empty board.
import type { AnswerResult, PromptAnswer, PromptsSnapshot } from '../../../common/ui-contract.js';
import type { Clock } from '../ports/clock.js';

export interface PromptBoard {
  /** Everything waiting, newest first. */
  snapshot(): PromptsSnapshot;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  answer(promptId: string, answer: PromptAnswer): Promise<AnswerResult>;
}

/** Something the user should know, shown on the board until dismissed. */
export interface Notice {
  level: 'info' | 'warning' | 'error';
  title: string;
  message: string;
}

/** The board of a host whose prompts are answered elsewhere: never anything waiting. */
export function emptyPromptBoard(clock: Clock): PromptBoard {
  return {
    snapshot: () => ({ type: 'snapshot', prompts: [], now: clock.now() }),
    subscribe: () => () => undefined,
    answer: () => Promise.resolve({ ok: false, code: 'unknown', message: 'There is no such prompt: this Gatehouse asks its questions elsewhere (in its terminal, or nowhere).' }),
  };
}
