import { toneOf } from '../../scanner/feedback';
import type { TScanOutcome } from '../../scanner/scanner';
import type { TScanResultName } from '../../scanner/checkin-types';

export const resultHeadlines: Record<TScanResultName, string> = {
  ok: 'Admitted',
  already_checked_in: 'Already checked in',
  invalid: 'Invalid ticket',
  void: 'Void ticket',
  wrong_event: 'Wrong event',
};

const refusalHints: Partial<Record<TScanResultName, string>> = {
  invalid: 'This code is not a ticket of this event, was altered, or has expired.',
  void: 'This ticket was cancelled or refunded. Do not admit.',
  wrong_event: 'This ticket is for a different event.',
};

function formatClock(instant: string): string {
  return new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date(instant));
}

function formatAgo(instant: string, now: Date): string {
  const minutes = Math.round((now.getTime() - new Date(instant).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min ago`;
}

/**
 * The big answer after a scan, in a live region so screen readers say it at once. Colour is
 * never the only signal: each result has its own headline and symbol.
 */
export function ScanResultPanel({
  outcome,
  isChecking,
  now,
}: {
  outcome: TScanOutcome | null;
  isChecking: boolean;
  now: Date;
}) {
  const tone = outcome ? toneOf(outcome.result) : null;
  return (
    <div
      className={`scan-result${tone ? ` scan-result-${tone}` : ''}${isChecking ? ' scan-result-checking' : ''}`}
      role="status"
      aria-live="assertive"
      aria-atomic="true"
      data-testid="scan-result"
    >
      {isChecking ? (
        <p className="scan-result-headline">Checking…</p>
      ) : !outcome ? (
        <p className="scan-result-headline scan-result-idle">Ready to scan</p>
      ) : (
        <>
          <p className="scan-result-headline">
            <span className="scan-result-symbol" aria-hidden="true">
              {tone === 'ok' ? '✓' : tone === 'warn' ? '!' : '✕'}
            </span>
            {resultHeadlines[outcome.result]}
          </p>
          {outcome.attendeeName ? <p className="scan-result-name">{outcome.attendeeName}</p> : null}
          {outcome.ticketTypeName ? (
            <p className="scan-result-type">{outcome.ticketTypeName}</p>
          ) : null}
          {outcome.result === 'already_checked_in' && outcome.checkedInAt ? (
            <p className="scan-result-detail">
              First admitted at {formatClock(outcome.checkedInAt)} (
              {formatAgo(outcome.checkedInAt, now)}){outcome.gate ? `, gate ${outcome.gate}` : ''}.
            </p>
          ) : null}
          {refusalHints[outcome.result] ? (
            <p className="scan-result-detail">{refusalHints[outcome.result]}</p>
          ) : null}
          {outcome.isOffline ? (
            <p className="scan-result-offline">Checked offline on this device · will sync</p>
          ) : null}
        </>
      )}
    </div>
  );
}
