// When the prompt window is wanted: while something waits for the user's answer. Notices go to OS
// notifications and the dashboard instead, so a tool put on hold does not pop a window up.
import type { PromptsSnapshot } from '../../common/ui-contract.js';

export function needsPromptWindow(snapshot: PromptsSnapshot): boolean {
  return snapshot.prompts.some((prompt) => prompt.kind === 'approval' || prompt.kind === 'elicitation' || prompt.kind === 'sign-in');
}
