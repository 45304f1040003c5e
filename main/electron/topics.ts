// Tells every open window which topic changed (`gatehouse:topic`), so the view showing it calls again.
// Only the topic's name crosses: the window fetches the new state through the validated call.
import { UI_IPC_CHANNELS } from '../../common/ui-ipc.js';
import { UI_TOPICS } from '../../common/ui-topics.js';
import type { UiService } from '../core/ui/ui-service.js';

/** The parts of a WebContents the forwarder uses. */
export interface TopicTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Forwards every topic of `ui` to the targets open at the time; returns the function that stops it. */
export function forwardTopics(ui: Pick<UiService, 'subscribe'>, targets: () => Iterable<TopicTarget>): () => void {
  const stops = UI_TOPICS.map((topic) =>
    ui.subscribe(topic, () => {
      for (const target of targets()) if (!target.isDestroyed()) target.send(UI_IPC_CHANNELS.topic, topic);
    }),
  );
  return () => stops.forEach((stop) => stop());
}
