import { describe, expect, test, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { TCheckInResult, TScannerKeys } from './checkin-types';
import { createEd25519Verifier } from './ed25519';
import { createScanner, MissingBundleError } from './scanner';
import type { TScannerApi } from './scanner-api';
import { createMemoryScannerStore } from './scanner-store';
import { makeTestEvent } from './test-codes';

const now = new Date('2030-06-15T20:00:00.000Z');
const context = { gate: 'North', deviceId: 'device-a' };

function setUp(options: { isOnline: boolean; checkIn?: TScannerApi['checkIn'] }) {
  const event = makeTestEvent();
  const store = createMemoryScannerStore();
  let online = options.isOnline;
  let ids = 0;
  const { refreshedAt: _refreshedAt, ...keys } = event.bundle;
  const api: TScannerApi = {
    checkIn: vi.fn<TScannerApi['checkIn']>(options.checkIn ?? (() => Promise.resolve(null))),
    fetchKeys: vi.fn(() => Promise.resolve<TScannerKeys>({ ...keys, isFullList: true })),
    sendScans: vi.fn<TScannerApi['sendScans']>((_eventId, scans) =>
      Promise.resolve(
        scans.map((scan, index) => ({
          result: 'ok' as const,
          message: 'Admitted.',
          index,
          scanId: scan.scanId ?? null,
          isReplay: false,
          isDuplicateAcrossDevices: false,
        })),
      ),
    ),
    fetchStats: vi.fn<TScannerApi['fetchStats']>(),
  };
  const scanner = createScanner({
    eventId: event.eventId,
    store,
    api,
    verifySignature: createEd25519Verifier(),
    now: () => now,
    randomId: () => `scan-${++ids}`,
    isOnline: () => online,
  });
  return { event, store, api, scanner, setOnline: (value: boolean) => (online = value) };
}

describe('the scanner', () => {
  test('online, it shows the server’s answer and remembers the admission for offline use', async () => {
    const answer: TCheckInResult = {
      result: 'ok',
      message: 'Admitted.',
      ticket: {
        id: '',
        ticketTypeId: '',
        ticketTypeName: 'General admission',
        attendeeName: 'Ada Lovelace',
        checkedInAt: now.toISOString(),
      },
    };
    const { scanner, event, api, store, setOnline } = setUp({
      isOnline: true,
      checkIn: () => Promise.resolve(answer),
    });
    await scanner.refreshBundle();
    const { code, ticketId } = event.issue();
    answer.ticket!.id = ticketId;

    const online = await scanner.scan(`  ${code}\n`, context);
    expect(online).toMatchObject({
      result: 'ok',
      isOffline: false,
      attendeeName: 'Ada Lovelace',
      ticketTypeName: 'General admission',
    });
    expect(api.checkIn).toHaveBeenCalledWith(event.eventId, {
      code,
      gate: 'North',
      deviceId: 'device-a',
    });

    setOnline(false);
    const offline = await scanner.scan(code, context);
    expect(offline).toMatchObject({
      result: 'already_checked_in',
      isOffline: true,
      checkedInAt: now.toISOString(),
      gate: 'North',
    });
    expect(await store.listQueued(event.eventId)).toHaveLength(1);
  });

  test('when the server cannot be reached it judges offline and queues the scan', async () => {
    const { scanner, event, store } = setUp({ isOnline: true });
    await scanner.refreshBundle();
    const { code, ticketId } = event.issue();

    const outcome = await scanner.scan(code, context);

    expect(outcome).toMatchObject({
      result: 'ok',
      isOffline: true,
      ticketTypeName: 'General admission',
    });
    expect(await store.listQueued(event.eventId)).toEqual([
      {
        scanId: 'scan-1',
        eventId: event.eventId,
        code,
        scannedAt: now.toISOString(),
        gate: 'North',
        deviceId: 'device-a',
        localResult: 'ok',
        ticketId,
        ticketTypeId: event.ticketTypeId,
      },
    ]);
    // Scanning it again on this device is a duplicate, even offline.
    expect((await scanner.scan(code, context)).result).toBe('already_checked_in');
  });

  test('uploads queued scans before an online check-in', async () => {
    const { scanner, event, api, store, setOnline } = setUp({ isOnline: false });
    setOnline(true);
    await scanner.refreshBundle();
    setOnline(false);
    await scanner.scan(event.issue().code, context);
    setOnline(true);

    await scanner.scan(event.issue().code, context);

    expect(api.sendScans).toHaveBeenCalledTimes(1);
    expect(vi.mocked(api.sendScans).mock.invocationCallOrder[0]).toBeLessThan(
      vi.mocked(api.checkIn).mock.invocationCallOrder[0] ?? 0,
    );
    // The second scan also fell back to offline (the fake server is unreachable for check-ins).
    expect((await store.listQueued(event.eventId)).map((s) => s.scanId)).toEqual(['scan-2']);
  });

  test('offline without the event’s keys it refuses to guess', async () => {
    const { scanner, event } = setUp({ isOnline: false });
    await expect(scanner.scan(event.issue().code, context)).rejects.toBeInstanceOf(
      MissingBundleError,
    );
  });

  test('a sign-in problem is not taken for a network problem', async () => {
    const { scanner, event } = setUp({
      isOnline: true,
      checkIn: () => Promise.reject(new ApiError(401, 'unauthorized', 'Sign in to continue.')),
    });
    await scanner.refreshBundle();
    await expect(scanner.scan(event.issue().code, context)).rejects.toMatchObject({
      status: 401,
    });
    const offline = await scanner.scan(event.issue().code, context, { isOfflineOnly: true });
    expect(offline.result).toBe('ok');
  });
});
