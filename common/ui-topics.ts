// The topics of the UI API (common/ui-api.ts re-exports them), in a file of their own without zod:
// the preload bridge filters topic names against this list and must stay a small bundle.

/** Something changed that an open view shows: it calls again to get the new state. */
export const UI_TOPICS = ['dashboard', 'prompts', 'activity'] as const;
export type UiTopic = (typeof UI_TOPICS)[number];

export function isUiTopic(value: unknown): value is UiTopic {
  return typeof value === 'string' && (UI_TOPICS as readonly string[]).includes(value);
}
