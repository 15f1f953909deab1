import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError, asApiError } from '../../api/errors';
import { PageHeading, useDocumentTitle } from '../../components/page-heading';
import { formatEventStart } from '../../lib/event-time';
import { signInPath } from '../../lib/safe-redirect';
import type { TCheckInStats, TQueuedScan, TScannerBundle } from '../../scanner/checkin-types';
import {
  randomId,
  readDeviceId,
  readGate,
  readScanCount,
  saveGate,
  saveScanCount,
} from '../../scanner/device-settings';
import { createEd25519Verifier } from '../../scanner/ed25519';
import { createRepeatGuard, signalResult, toneOf } from '../../scanner/feedback';
import { decodeQrFromFile, preloadQrDecoder } from '../../scanner/qr-decode';
import type { TReconciledScan } from '../../scanner/scan-sync';
import { createScanner, MissingBundleError, type TScanOutcome } from '../../scanner/scanner';
import { scannerApi } from '../../scanner/scanner-api';
import { openScannerStore, type TScannerStore } from '../../scanner/scanner-store';
import { CameraScanner } from './camera-scanner';
import { ScanQueuePanel } from './scan-queue-panel';
import { ScanResultPanel } from './scan-result-panel';

/** How often the live counter, the revocation list and the upload queue are refreshed. */
const STATS_INTERVAL_MS = 10_000;
const KEYS_INTERVAL_MS = 60_000;
const SYNC_RETRY_MS = 15_000;
/** A code the camera keeps seeing is handled once per this window. */
const REPEAT_WINDOW_MS = 2_500;

type TAccess = 'ok' | 'signed_out' | 'forbidden' | 'not_found';

function accessOf(error: ApiError): TAccess | null {
  if (error.status === 401) return 'signed_out';
  if (error.status === 403) return 'forbidden';
  if (error.status === 404 || error.code === 'validation_failed') return 'not_found';
  return null;
}

/** Follows the browser's idea of being online (a failing request also sends scans offline). */
function useIsOnline(): boolean {
  const [isOnline, setIsOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setIsOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return isOnline;
}

export default function ScannerPage() {
  const { eventId = '' } = useParams();
  return <ScannerView key={eventId} eventId={eventId} />;
}

function ScannerView({ eventId }: { eventId: string }) {
  useDocumentTitle('Scanner');
  const location = useLocation();
  const isOnline = useIsOnline();
  const [store, setStore] = useState<TScannerStore | null>(null);
  const [verifySignature] = useState(() => createEd25519Verifier());
  const [deviceId] = useState(readDeviceId);
  const [gate, setGate] = useState(readGate);
  // undefined: still loading; null: nothing stored and the server could not be asked.
  const [bundle, setBundle] = useState<TScannerBundle | null | undefined>(undefined);
  const [access, setAccess] = useState<TAccess>('ok');
  const [outcome, setOutcome] = useState<TScanOutcome | null>(null);
  const [outcomeAt, setOutcomeAt] = useState(() => new Date());
  const [isChecking, setIsChecking] = useState(false);
  const [scanError, setScanError] = useState<string | null>(null);
  const [queued, setQueued] = useState<TQueuedScan[]>([]);
  const [reconciled, setReconciled] = useState<TReconciledScan[]>([]);
  const [syncError, setSyncError] = useState<string | null>(null);
  const [isSyncing, setIsSyncing] = useState(false);
  const [stats, setStats] = useState<TCheckInStats | null>(null);
  const [scanCount, setScanCount] = useState(() => readScanCount(eventId));
  const [manualCode, setManualCode] = useState('');
  const isBusyRef = useRef(false);
  const [acceptCameraRead] = useState(() => createRepeatGuard(REPEAT_WINDOW_MS));

  useEffect(() => {
    let isActive = true;
    preloadQrDecoder();
    void openScannerStore().then((opened) => {
      if (isActive) setStore(opened);
    });
    return () => {
      isActive = false;
    };
  }, []);

  const scanner = useMemo(
    () =>
      store
        ? createScanner({
            eventId,
            store,
            api: scannerApi,
            verifySignature,
            now: () => new Date(),
            randomId: () => randomId('scan-'),
            isOnline: () => navigator.onLine,
          })
        : null,
    [store, eventId, verifySignature],
  );

  /** Asks the server for fresh keys and revocations; remembers why, if it says no. */
  const refreshBundle = useCallback(async () => {
    if (!scanner || !navigator.onLine) return;
    try {
      setBundle(await scanner.refreshBundle());
      setAccess('ok');
    } catch (error) {
      const denied = accessOf(asApiError(error));
      if (denied) setAccess(denied);
    }
  }, [scanner]);

  const refreshStats = useCallback(async () => {
    if (!navigator.onLine) return;
    try {
      setStats(await scannerApi.fetchStats(eventId));
    } catch {
      // The counter keeps its last value; the next poll tries again.
    }
  }, [eventId]);

  const runSync = useCallback(async () => {
    if (!scanner || !navigator.onLine) return;
    if ((await scanner.queued()).length === 0) return;
    setIsSyncing(true);
    const report = await scanner.sync();
    setQueued(await scanner.queued());
    setIsSyncing(false);
    if (report.reconciled.length > 0)
      setReconciled((previous) => [...report.reconciled.reverse(), ...previous].slice(0, 50));
    if (report.error) {
      const error = asApiError(report.error);
      const denied = accessOf(error);
      if (denied) setAccess(denied);
      setSyncError(
        error.status === 0 || error.status >= 500
          ? 'The upload failed; it will be retried automatically.'
          : error.message,
      );
    } else {
      setSyncError(null);
    }
    await refreshStats();
  }, [scanner, refreshStats]);

  // First load: what the device has, then what the server has.
  useEffect(() => {
    if (!scanner) return;
    let isActive = true;
    void (async () => {
      const stored = await scanner.bundle();
      const waiting = await scanner.queued();
      if (!isActive) return;
      setQueued(waiting);
      if (stored) setBundle(stored);
      await refreshBundle();
      if (!isActive) return;
      setBundle((current) => current ?? null);
      await runSync();
      await refreshStats();
    })();
    return () => {
      isActive = false;
    };
  }, [scanner, refreshBundle, runSync, refreshStats]);

  // While the page is open: keep the counter, the revocations and the queue moving.
  useEffect(() => {
    if (!scanner || !isOnline) return;
    // Back online: upload what was scanned meanwhile, right away.
    const timers = [
      setTimeout(() => void runSync(), 0),
      setInterval(() => void refreshStats(), STATS_INTERVAL_MS),
      setInterval(() => void refreshBundle(), KEYS_INTERVAL_MS),
      setInterval(() => void runSync(), SYNC_RETRY_MS),
    ];
    return () => timers.forEach((timer) => clearTimeout(timer));
  }, [scanner, isOnline, refreshStats, refreshBundle, runSync]);

  async function handleCode(code: string) {
    if (!scanner || isBusyRef.current) return;
    isBusyRef.current = true;
    setIsChecking(true);
    setScanError(null);
    const context = { gate: gate.trim() || null, deviceId };
    try {
      let result: TScanOutcome;
      try {
        result = await scanner.scan(code, context);
      } catch (error) {
        // Signed out at the door: keep admitting on the device; the queue waits for sign-in.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
        setAccess('signed_out');
        result = await scanner.scan(code, context, { isOfflineOnly: true });
      }
      setOutcome(result);
      setOutcomeAt(new Date());
      signalResult(toneOf(result.result));
      setScanCount((count) => {
        saveScanCount(eventId, count + 1);
        return count + 1;
      });
      setQueued(await scanner.queued());
      if (!result.isOffline) void refreshStats();
    } catch (error) {
      setOutcome(null);
      setScanError(error instanceof MissingBundleError ? error.message : asApiError(error).message);
      signalResult('bad');
    } finally {
      isBusyRef.current = false;
      setIsChecking(false);
    }
  }

  function handleCameraCode(code: string) {
    if (acceptCameraRead(code)) void handleCode(code);
  }

  function submitManual(event: FormEvent) {
    event.preventDefault();
    const code = manualCode.trim();
    if (!code) {
      setScanError('Type or paste the code printed under the QR code.');
      return;
    }
    setManualCode('');
    void handleCode(code);
  }

  async function scanPhoto(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Cleared, so choosing the same photo again scans it again.
    input.value = '';
    if (!file) return;
    setScanError(null);
    try {
      const code = await decodeQrFromFile(file);
      if (code) await handleCode(code);
      else setScanError('No QR code was found in that picture. Try a sharper, closer photo.');
    } catch {
      setScanError('That file could not be read as a picture.');
    }
  }

  const here = `${location.pathname}${location.search}`;
  if (bundle === undefined) {
    return (
      <section className="scanner">
        <PageHeading>Scanner</PageHeading>
        <p className="loading">Loading the scanner…</p>
      </section>
    );
  }
  if (!bundle) {
    return (
      <section className="scanner">
        <PageHeading>Scanner</PageHeading>
        <p className="notice notice-error" role="alert">
          {access === 'signed_out' ? (
            <>
              <Link to={signInPath(here)}>Sign in</Link> to scan tickets.
            </>
          ) : access === 'forbidden' ? (
            'Only the event’s team (owners, managers and staff) can scan its tickets.'
          ) : access === 'not_found' ? (
            'This event does not exist.'
          ) : (
            'This device has no offline data for the event yet. Open the scanner once while online, then it works without a connection.'
          )}
        </p>
        <p>
          <Link to="/dashboard">Back to the dashboard</Link>
        </p>
      </section>
    );
  }

  const pendingAdmissions = queued.filter((scan) => scan.localResult === 'ok').length;
  const admitted = stats ? stats.admitted + pendingAdmissions : null;
  return (
    <section className="scanner" aria-describedby="scanner-event">
      <div className="scanner-title-row">
        <PageHeading>Scanner</PageHeading>
        <span className={`badge ${isOnline ? 'badge-online' : 'badge-offline'}`}>
          {isOnline ? 'Online' : 'Offline'}
        </span>
      </div>
      <p id="scanner-event" className="scanner-event">
        <strong>{bundle.event.title}</strong>
        <span className="muted">
          {' · '}
          <time dateTime={bundle.event.startsAt}>
            {formatEventStart(bundle.event.startsAt, bundle.event.timezone)}
          </time>
        </span>
      </p>
      {access === 'signed_out' ? (
        <p className="notice notice-error" role="alert">
          Your session has ended. Scans are checked on this device and kept;{' '}
          <Link to={signInPath(here)}>sign in</Link> to upload them.
        </p>
      ) : access === 'forbidden' ? (
        <p className="notice notice-error" role="alert">
          You are no longer on this event&apos;s team; scans cannot be uploaded.
        </p>
      ) : null}
      {!store?.isDurable ? (
        <p className="notice notice-info">
          This browser cannot store scans durably; keep this tab open until they are synced.
        </p>
      ) : null}

      <dl className="scanner-counters">
        <div>
          <dt>Admitted</dt>
          <dd data-testid="admitted-count">
            {admitted === null ? '–' : admitted}
            {stats ? <span className="muted"> / {stats.total}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Scanned here</dt>
          <dd data-testid="device-count">{scanCount}</dd>
        </div>
        <div>
          <dt>Waiting to sync</dt>
          <dd data-testid="queue-count">{queued.length}</dd>
        </div>
      </dl>

      <ScanResultPanel outcome={outcome} isChecking={isChecking} now={outcomeAt} />
      {scanError ? (
        <p className="notice notice-error" role="alert">
          {scanError}
        </p>
      ) : null}

      <CameraScanner onCode={handleCameraCode} />

      <div className="scanner-inputs">
        <form className="scanner-manual" onSubmit={submitManual} aria-label="Enter a code">
          <label htmlFor="scanner-code">Ticket code</label>
          <div className="scanner-manual-row">
            <input
              id="scanner-code"
              value={manualCode}
              onChange={(e) => setManualCode(e.target.value)}
              autoComplete="off"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              enterKeyHint="go"
            />
            <button type="submit" className="button button-primary" disabled={isChecking}>
              Check in
            </button>
          </div>
        </form>
        <label className="button button-secondary scanner-photo">
          Scan from photo
          <input
            type="file"
            accept="image/*"
            className="visually-hidden"
            onChange={(e) => void scanPhoto(e)}
          />
        </label>
      </div>

      <ScanQueuePanel
        queued={queued}
        reconciled={reconciled}
        isOnline={isOnline}
        isSyncing={isSyncing}
        syncError={syncError}
        onSync={() => void runSync()}
      />

      <details className="scanner-settings">
        <summary>Gate and device</summary>
        <div className="field">
          <label htmlFor="scanner-gate">Gate</label>
          <p className="field-hint" id="scanner-gate-hint">
            Recorded with every scan from this device, e.g. “North entrance”.
          </p>
          <input
            id="scanner-gate"
            aria-describedby="scanner-gate-hint"
            value={gate}
            maxLength={60}
            onChange={(e) => {
              setGate(e.target.value);
              saveGate(e.target.value);
            }}
          />
        </div>
        <p className="muted">
          Device id: <code>{deviceId}</code>
        </p>
        <p className="muted">
          Offline data refreshed {new Date(bundle.refreshedAt).toLocaleString()} ·{' '}
          {bundle.revoked.length} void {bundle.revoked.length === 1 ? 'ticket' : 'tickets'}
        </p>
      </details>
    </section>
  );
}
