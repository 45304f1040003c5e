// OS notifications (Electron's Notification): a tool put on hold, a sign-in needed, the result of a
// tray action. Each is kept referenced until it closes, or its click handler could be collected
// before the user clicks. Where the OS has no notifications, the log has the message anyway.
import type { Logger } from '../core/ports/logger.js';

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotificationFactory {
  isSupported(): boolean;
  create(options: { title: string; body: string; silent: boolean; urgency: 'normal' | 'critical' | 'low' }): NotificationLike;
}

export interface Notice {
  level: 'info' | 'warning' | 'error';
  title: string;
  message: string;
  /** What a click does, e.g. open the dashboard or start the sign-in. */
  onClick?: () => void;
}

export type Notifier = (notice: Notice) => void;

/** Body text beyond this is cut: macOS shows about four lines, Windows a little more. */
const MAX_BODY = 500;

export function createNotifier(factory: NotificationFactory, logger: Logger): Notifier {
  const open = new Set<NotificationLike>();
  return (notice) => {
    logger.log(notice.level === 'info' ? 'info' : 'warn', `${notice.title}: ${notice.message}`);
    if (!factory.isSupported()) return;
    const body = notice.message.length > MAX_BODY ? `${notice.message.slice(0, MAX_BODY - 1)}…` : notice.message;
    const notification = factory.create({ title: notice.title, body, silent: notice.level === 'info', urgency: notice.level === 'error' ? 'critical' : 'normal' });
    open.add(notification);
    notification.on('close', () => open.delete(notification));
    notification.on('click', () => {
      open.delete(notification);
      notice.onClick?.();
    });
    notification.show();
  };
}
