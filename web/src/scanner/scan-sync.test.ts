import { describe, expect, test } from 'vitest';
import { ApiError } from '../api/errors';
import type { TQueuedScan, TSyncResult, TSyncScanBody } from './checkin-types';
import { reconcileScan, syncQueuedScans, type TSendScans } from './scan-sync';
import { createMemoryScannerStore } from './scanner-store';

const eventId = '11111111-1111-4111-8111-111111111111';

function queuedScan(n: number, overrides: Partial<TQueuedScan> = {}): TQueuedScan {
  return {
    scanId: `scan-${n}`,
    eventId,
    code: `TIN1.code-${n}`,
    scannedAt: new Date(Date.UTC(2030, 5, 15, 20, 0, n)).toISOString(),
    gate: 'North',
    deviceId: 'device-a',
    localResult: 'ok',
    ticketId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    ticketTypeId: null,
    ...overrides,
  };
}

function serverResult(index: number, overrides: Partial<TSyncResult> = {}): TSyncResult {
  return {
    result: 'ok',
    message: 'Admitted.',
    index,
    scanId: null,
    isReplay: false,
    isDuplicateAcrossDevices: false,
    ...overrides,
  };
}

/** A fake /check-ins/sync that admits everything and records what it was sent. */
function recordingServer(answer: (scan: TSyncScanBody, index: number) => Partial<TSyncResult>) {
  const batches: TSyncScanBody[][] = [];
  const send: TSendScans = (_eventId, scans) => {
    batches.push(scans);
    return Promise.resolve(scans.map((scan, i) => serverResult(i, answer(scan, i))));
  };
  return { batches, send };
}

describe('reconcileScan', () => {
  const admitted = queuedScan(1);
  test.each([
    ['ok', false, 'ok', 'confirmed'],
    ['ok', false, 'already_checked_in', 'confirmed'],
    ['ok', true, 'already_checked_in', 'duplicate'],
    ['ok', false, 'void', 'rejected'],
    ['void', false, 'void', 'confirmed'],
    ['void', false, 'ok', 'admitted'],
    ['invalid', false, 'wrong_event', 'differs'],
  ] as const)('shown %s, server %s (other device: %s) → %s', (local, isOther, server, outcome) => {
    expect(
      reconcileScan(
        { ...admitted, localResult: local },
        serverResult(0, { result: server, isDuplicateAcrossDevices: isOther }),
      ),
    ).toBe(outcome);
  });
});

describe('syncQueuedScans', () => {
  test('uploads the queue oldest first in batches, empties it and reports each result', async () => {
    const store = createMemoryScannerStore();
    for (const n of [3, 1, 5, 2, 4]) await store.enqueue(queuedScan(n));
    const server = recordingServer(() => ({}));

    const report = await syncQueuedScans({ store, eventId, send: server.send, batchSize: 2 });

    expect(server.batches.map((b) => b.map((s) => s.scanId))).toEqual([
      ['scan-1', 'scan-2'],
      ['scan-3', 'scan-4'],
      ['scan-5'],
    ]);
    expect(server.batches[0]?.[0]).toEqual({
      code: 'TIN1.code-1',
      scannedAt: '2030-06-15T20:00:01.000Z',
      deviceId: 'device-a',
      scanId: 'scan-1',
      gate: 'North',
    });
    expect(report.error).toBeUndefined();
    expect(report.reconciled.map((r) => r.outcome)).toEqual(Array(5).fill('confirmed'));
    expect(await store.listQueued(eventId)).toEqual([]);
  });

  test('reports an offline admission that another device made first as a duplicate', async () => {
    const store = createMemoryScannerStore();
    const scan = queuedScan(1);
    await store.enqueue(scan);
    const server = recordingServer(() => ({
      result: 'already_checked_in',
      isDuplicateAcrossDevices: true,
      checkedInAt: '2030-06-15T19:58:00.000Z',
      gate: 'South',
      deviceId: 'device-b',
      ticket: {
        id: scan.ticketId ?? '',
        ticketTypeId: '22222222-2222-4222-8222-222222222222',
        ticketTypeName: 'General admission',
        attendeeName: 'Ada',
        checkedInAt: '2030-06-15T19:58:00.000Z',
      },
    }));

    const report = await syncQueuedScans({ store, eventId, send: server.send });

    expect(report.reconciled).toHaveLength(1);
    expect(report.reconciled[0]?.outcome).toBe('duplicate');
    // The device now knows the server's admission, for later offline scans of the ticket.
    expect(await store.getAdmission(eventId, scan.ticketId ?? '')).toEqual({
      eventId,
      ticketId: scan.ticketId,
      checkedInAt: '2030-06-15T19:58:00.000Z',
      gate: 'South',
    });
  });

  test('keeps what was not uploaded when the network fails, and re-sends it later', async () => {
    const store = createMemoryScannerStore();
    for (const n of [1, 2, 3]) await store.enqueue(queuedScan(n));
    let calls = 0;
    const flaky: TSendScans = (_eventId, scans) => {
      calls++;
      if (calls === 2) return Promise.reject(new ApiError(0, 'network_error', 'offline'));
      return Promise.resolve(scans.map((_, i) => serverResult(i)));
    };

    const first = await syncQueuedScans({ store, eventId, send: flaky, batchSize: 2 });
    expect(first.error).toBeInstanceOf(ApiError);
    expect(first.reconciled).toHaveLength(2);
    expect((await store.listQueued(eventId)).map((s) => s.scanId)).toEqual(['scan-3']);

    const second = await syncQueuedScans({ store, eventId, send: flaky, batchSize: 2 });
    expect(second.error).toBeUndefined();
    expect(second.reconciled.map((r) => r.scan.scanId)).toEqual(['scan-3']);
    expect(await store.listQueued(eventId)).toEqual([]);
  });

  test('leaves other events’ scans alone', async () => {
    const store = createMemoryScannerStore();
    await store.enqueue(queuedScan(1));
    await store.enqueue(queuedScan(2, { eventId: '99999999-9999-4999-8999-999999999999' }));
    const server = recordingServer(() => ({}));
    await syncQueuedScans({ store, eventId, send: server.send });
    expect(server.batches.flat().map((s) => s.scanId)).toEqual(['scan-1']);
    expect(await store.listQueued('99999999-9999-4999-8999-999999999999')).toHaveLength(1);
  });
});
