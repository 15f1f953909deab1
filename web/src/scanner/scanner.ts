import type { TQueuedScan, TScanResultName, TScannerBundle } from './checkin-types';
import { checkCodeOffline, mergeScannerKeys } from './offline-check';
import { syncQueuedScans, type TSyncReport } from './scan-sync';
import type { TScannerApi } from './scanner-api';
import type { TScannerStore } from './scanner-store';
import type { TSignatureVerifier } from './ticket-code';

/** The server takes codes up to this length; anything longer is not a ticket. */
const MAX_QUEUED_CODE_LENGTH = 1000;

/** What the door staff are shown for one scan. */
export type TScanOutcome = {
  result: TScanResultName;
  /** Judged on the device, without the server (and queued for upload). */
  isOffline: boolean;
  attendeeName: string | null;
  ticketTypeName: string | null;
  /** For `already_checked_in`: when the ticket was first admitted, and at which gate. */
  checkedInAt: string | null;
  gate: string | null;
  scannedAt: string;
};

/** Thrown when a code cannot be judged offline because the event's keys were never loaded. */
export class MissingBundleError extends Error {
  override readonly name = 'MissingBundleError';
  constructor() {
    super('This device has no offline data for the event yet. Open the scanner once while online.');
  }
}

export type TScannerDeps = {
  eventId: string;
  store: TScannerStore;
  api: TScannerApi;
  verifySignature: TSignatureVerifier;
  now: () => Date;
  randomId: () => string;
  isOnline: () => boolean;
};

/**
 * The door scanner for one event: online check-in when the server answers, the same rules on
 * the device when it does not (queued for upload), and the upload itself.
 */
export function createScanner(deps: TScannerDeps) {
  const { eventId, store, api, now } = deps;
  let syncing: Promise<TSyncReport> | null = null;

  async function scanOffline(
    code: string,
    context: { gate: string | null; deviceId: string },
  ): Promise<TScanOutcome> {
    const bundle = await store.getBundle(eventId);
    if (!bundle) throw new MissingBundleError();
    const scannedAt = now().toISOString();
    const verdict = await checkCodeOffline({
      code,
      bundle,
      now: now(),
      verifySignature: deps.verifySignature,
      findAdmission: (ticketId) => store.getAdmission(eventId, ticketId),
    });
    if (verdict.result === 'ok' && verdict.ticketId) {
      await store.putAdmission({
        eventId,
        ticketId: verdict.ticketId,
        checkedInAt: scannedAt,
        gate: context.gate,
      });
    }
    // Every scan is logged on the server, refused ones too.
    const queued: TQueuedScan = {
      scanId: deps.randomId(),
      eventId,
      code,
      scannedAt,
      gate: context.gate,
      deviceId: context.deviceId,
      localResult: verdict.result,
      ticketId: verdict.ticketId,
      ticketTypeId: verdict.ticketTypeId,
    };
    await store.enqueue(queued);
    return {
      result: verdict.result,
      isOffline: true,
      attendeeName: null,
      ticketTypeName: verdict.ticketTypeName,
      checkedInAt: verdict.checkedInAt ?? null,
      gate: verdict.gate ?? null,
      scannedAt,
    };
  }

  /** Text far longer than any code (some other QR code) is refused without asking anyone. */
  function refusedAsGarbage(): TScanOutcome {
    return {
      result: 'invalid',
      isOffline: false,
      attendeeName: null,
      ticketTypeName: null,
      checkedInAt: null,
      gate: null,
      scannedAt: now().toISOString(),
    };
  }

  const scanner = {
    /**
     * Scans one code at a gate: online if the server answers, else on the device
     * (`isOfflineOnly` skips the server, e.g. while signed out).
     */
    async scan(
      rawCode: string,
      context: { gate: string | null; deviceId: string },
      options: { isOfflineOnly?: boolean } = {},
    ): Promise<TScanOutcome> {
      const code = rawCode.trim();
      if (!code) throw new Error('Scan or type a ticket code.');
      if (code.length > MAX_QUEUED_CODE_LENGTH) return refusedAsGarbage();
      if (deps.isOnline() && !options.isOfflineOnly) {
        // Offline scans go first, so the server sees the night in the order it happened.
        if ((await store.listQueued(eventId)).length > 0) await scanner.sync();
        const answer = await api.checkIn(eventId, {
          code,
          deviceId: context.deviceId,
          ...(context.gate ? { gate: context.gate } : {}),
        });
        if (answer) {
          const checkedInAt = answer.checkedInAt ?? answer.ticket?.checkedInAt ?? null;
          if (
            answer.ticket &&
            checkedInAt &&
            (answer.result === 'ok' || answer.result === 'already_checked_in')
          ) {
            await store.putAdmission({
              eventId,
              ticketId: answer.ticket.id,
              checkedInAt,
              gate: answer.result === 'ok' ? context.gate : (answer.gate ?? null),
            });
          }
          return {
            result: answer.result,
            isOffline: false,
            attendeeName: answer.ticket?.attendeeName ?? null,
            ticketTypeName: answer.ticket?.ticketTypeName ?? null,
            checkedInAt: answer.result === 'already_checked_in' ? checkedInAt : null,
            gate: answer.result === 'already_checked_in' ? (answer.gate ?? null) : null,
            scannedAt: now().toISOString(),
          } satisfies TScanOutcome;
        }
      }
      return scanOffline(code, context);
    },

    /** Uploads the queue; calls made while an upload runs share it. */
    sync(): Promise<TSyncReport> {
      syncing ??= syncQueuedScans({ store, eventId, send: api.sendScans }).finally(() => {
        syncing = null;
      });
      return syncing;
    },

    /** Downloads keys and revocations (only the new ones when the device has a bundle). */
    async refreshBundle(): Promise<TScannerBundle> {
      const previous = await store.getBundle(eventId);
      const answer = await api.fetchKeys(eventId, previous?.revocationVersion);
      const bundle = mergeScannerKeys(previous, answer, now());
      await store.putBundle(bundle);
      return bundle;
    },

    queued: () => store.listQueued(eventId),
    bundle: () => store.getBundle(eventId),
  };
  return scanner;
}

export type TScanner = ReturnType<typeof createScanner>;
