// What the prompts UI needs from its host. The browser build talks HTTP (transport.ts); the desktop
// app will pass an implementation over its preload bridge. Components see only this interface.
import type { AnswerResult, PromptAnswer, PromptsSnapshot } from '../../common/ui-contract.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'signed-out';

export interface PromptsApi {
  /** Calls `onSnapshot` with every list of pending prompts; returns a function that stops watching. */
  watch(onSnapshot: (snapshot: PromptsSnapshot) => void, onState: (state: ConnectionState) => void): () => void;
  answer(promptId: string, answer: PromptAnswer): Promise<AnswerResult>;
}
