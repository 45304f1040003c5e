import { useNow } from '../hooks.js';

/** "Answer within 0:42": the time left until the host gives up on the prompt. */
export function Countdown({ expiresAt, offset, what }: { expiresAt: number; offset: number; what: string }) {
  const now = useNow() + offset;
  const left = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  const text = left === 0 ? 'Time is up.' : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return (
    <p className="countdown" role="timer" aria-live="off">
      {left === 0 ? text : <>Answer within <strong>{text}</strong>, {what}.</>}
    </p>
  );
}
