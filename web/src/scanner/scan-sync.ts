import type { TQueuedScan, TSyncResult, TSyncScanBody } from './checkin-types';
import type { TScannerStore } from './scanner-store';

/** The server accepts up to 1000 scans per upload; smaller batches keep each request quick. */
export const SYNC_BATCH_SIZE = 200;

/** Uploads scans to `/check-ins/sync` and returns the server's result for each, in order. */
export type TSendScans = (eventId: string, scans: TSyncScanBody[]) => Promise<TSyncResult[]>;

/**
 * How the server's verdict compares with what the door staff were shown offline:
 * - `confirmed`: the same outcome (an admission the server also counts for this device);
 * - `duplicate`: admitted here, but another device had admitted the ticket first;
 * - `rejected`: admitted here, but the server refuses the ticket (void or invalid);
 * - `admitted`: refused here, but the server admitted it (e.g. the device's data was stale);
 * - `differs`: both refused, for different reasons.
 */
export type TReconcileOutcome = 'confirmed' | 'duplicate' | 'rejected' | 'admitted' | 'differs';

export type TReconciledScan = {
  scan: TQueuedScan;
  server: TSyncResult;
  outcome: TReconcileOutcome;
};

/** Compares one offline verdict with the server's. */
export function reconcileScan(scan: TQueuedScan, server: TSyncResult): TReconcileOutcome {
  const wasAdmittedHere = scan.localResult === 'ok';
  // The server says "already checked in" to this device's own admission when the same ticket
  // reached it twice (an online attempt that timed out, then the queued copy): still ours.
  const isOwnAdmission =
    server.result === 'ok' ||
    (server.result === 'already_checked_in' && !server.isDuplicateAcrossDevices);
  if (wasAdmittedHere) {
    if (isOwnAdmission) return 'confirmed';
    return server.result === 'already_checked_in' ? 'duplicate' : 'rejected';
  }
  if (server.result === 'ok') return 'admitted';
  return server.result === scan.localResult ? 'confirmed' : 'differs';
}

export type TSyncReport = {
  reconciled: TReconciledScan[];
  /** What stopped the upload early (offline again, signed out…); the rest stays queued. */
  error?: unknown;
};

/**
 * Uploads the event's queued scans oldest first, in batches. A batch leaves the queue only
 * once the server has answered for it; if the answer is lost, the batch is sent again and the
 * server, knowing each scanId, repeats its results instead of applying them twice.
 */
export async function syncQueuedScans(input: {
  store: TScannerStore;
  eventId: string;
  send: TSendScans;
  batchSize?: number;
}): Promise<TSyncReport> {
  const { store, eventId, send, batchSize = SYNC_BATCH_SIZE } = input;
  const queued = await store.listQueued(eventId);
  const reconciled: TReconciledScan[] = [];
  for (let start = 0; start < queued.length; start += batchSize) {
    const batch = queued.slice(start, start + batchSize);
    let results: TSyncResult[];
    try {
      results = await send(
        eventId,
        batch.map((scan) => ({
          code: scan.code,
          scannedAt: scan.scannedAt,
          deviceId: scan.deviceId,
          scanId: scan.scanId,
          ...(scan.gate ? { gate: scan.gate } : {}),
        })),
      );
    } catch (error) {
      return { reconciled, error };
    }
    const done: string[] = [];
    for (const [index, scan] of batch.entries()) {
      const server = results.find((r) => r.index === index);
      if (!server) continue;
      reconciled.push({ scan, server, outcome: reconcileScan(scan, server) });
      done.push(scan.scanId);
      // Remember what the server knows, so a later offline scan of the ticket is judged right.
      const checkedInAt = server.checkedInAt ?? server.ticket?.checkedInAt;
      if (server.ticket && checkedInAt && server.result !== 'void') {
        await store.putAdmission({
          eventId,
          ticketId: server.ticket.id,
          checkedInAt,
          gate: server.result === 'already_checked_in' ? (server.gate ?? null) : scan.gate,
        });
      }
    }
    await store.removeQueued(done);
  }
  return { reconciled };
}
