import { describeCountdown, formatCountdown } from '../lib/countdown';
import { LiveMessage } from './live-message';

/** Below this, the countdown turns urgent and a screen reader hears it once. */
export const HOLD_WARNING_MS = 60_000;

/**
 * How long the tickets stay held. The clock ticks silently (a timer region is not read out every
 * second); at one minute left a polite status announces it once, in words.
 */
export function HoldCountdown({ remaining }: { remaining: number }) {
  const isUrgent = remaining <= HOLD_WARNING_MS;
  return (
    <div className={`hold-countdown${isUrgent ? ' hold-countdown-urgent' : ''}`}>
      <p>
        <span>Tickets held for you: </span>
        <span
          role="timer"
          aria-label={`${describeCountdown(remaining)} left`}
          className="hold-countdown-clock"
        >
          {formatCountdown(remaining)}
        </span>
        <span className="hold-countdown-after">
          {' '}
          (minutes:seconds). After that they go back on sale.
        </span>
      </p>
      <LiveMessage tone="info">
        {isUrgent && remaining > 0
          ? 'Less than one minute left to pay before your tickets are released.'
          : null}
      </LiveMessage>
    </div>
  );
}
