import type { TQueuedScan } from '../../scanner/checkin-types';
import type { TReconciledScan } from '../../scanner/scan-sync';
import { resultHeadlines } from './scan-result-panel';

function formatTime(instant: string): string {
  return new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }).format(new Date(instant));
}

/** Describes a synced scan, flagging where the server disagrees with what the door was told. */
function describeReconciled({ scan, server, outcome }: TReconciledScan): string {
  const shown = `This device showed “${resultHeadlines[scan.localResult]}”.`;
  const said = resultHeadlines[server.result];
  switch (outcome) {
    case 'confirmed':
      return `${resultHeadlines[scan.localResult]} — confirmed.`;
    case 'duplicate': {
      const where = server.checkedInAt
        ? ` (${formatTime(server.checkedInAt)}${server.gate ? `, gate ${server.gate}` : ''})`
        : '';
      return `Duplicate — another device admitted this ticket first${where}. ${shown}`;
    }
    case 'rejected':
      return `Refused by the server: ${said}. ${shown}`;
    case 'admitted':
      return `Admitted by the server. ${shown}`;
    case 'differs':
      return `The server says: ${said}. ${shown}`;
  }
}

/**
 * The scans made offline and not yet uploaded, and what the server said about the ones that
 * were. Conflicts stand out, so a supervisor can follow up (a ticket used at two gates).
 */
export function ScanQueuePanel({
  queued,
  reconciled,
  isOnline,
  isSyncing,
  syncError,
  onSync,
}: {
  queued: TQueuedScan[];
  reconciled: TReconciledScan[];
  isOnline: boolean;
  isSyncing: boolean;
  syncError: string | null;
  onSync: () => void;
}) {
  const conflicts = reconciled.filter((r) => r.outcome !== 'confirmed').length;
  return (
    <section className="section scanner-queue" aria-labelledby="queue-heading">
      <div className="section-title-row">
        <h2 id="queue-heading">Offline scans</h2>
        <button
          type="button"
          className="button button-small button-secondary"
          disabled={!isOnline || isSyncing || queued.length === 0}
          onClick={onSync}
        >
          {isSyncing ? 'Syncing…' : 'Sync now'}
        </button>
      </div>
      <p role="status" className="scanner-queue-status">
        {queued.length === 0
          ? 'All scans are synced.'
          : `${queued.length} ${queued.length === 1 ? 'scan is' : 'scans are'} waiting to sync${isOnline ? '.' : ' — they upload when the connection is back.'}`}
      </p>
      {syncError ? <p className="notice notice-error">{syncError}</p> : null}
      {queued.length > 0 ? (
        <ol className="scanner-queue-list" aria-label="Waiting to sync">
          {queued.map((scan) => (
            <li key={scan.scanId}>
              <time dateTime={scan.scannedAt}>{formatTime(scan.scannedAt)}</time>{' '}
              {resultHeadlines[scan.localResult]}
            </li>
          ))}
        </ol>
      ) : null}
      {reconciled.length > 0 ? (
        <>
          <h3>
            Synced
            {conflicts > 0 ? ` — ${conflicts} ${conflicts === 1 ? 'conflict' : 'conflicts'}` : ''}
          </h3>
          <ol className="scanner-queue-list" aria-label="Synced scans">
            {reconciled.map((item) => (
              <li
                key={item.scan.scanId}
                className={item.outcome === 'confirmed' ? undefined : 'scanner-conflict'}
              >
                <time dateTime={item.scan.scannedAt}>{formatTime(item.scan.scannedAt)}</time>{' '}
                {item.server.ticket?.attendeeName ? `${item.server.ticket.attendeeName}: ` : ''}
                {describeReconciled(item)}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
