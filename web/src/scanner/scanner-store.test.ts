import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import type { TQueuedScan } from './checkin-types';
import { openIndexedDbScannerStore } from './scanner-store';
import { makeTestEvent } from './test-codes';

const scan = (scanId: string, scannedAt: string, eventId: string): TQueuedScan => ({
  scanId,
  eventId,
  code: `TIN1.${scanId}`,
  scannedAt,
  gate: null,
  deviceId: 'device-a',
  localResult: 'ok',
  ticketId: null,
  ticketTypeId: null,
});

describe('the IndexedDB scanner store', () => {
  test('keeps the bundle, the queue and admissions across reopening the database', async () => {
    const factory = new IDBFactory();
    const { bundle, eventId } = makeTestEvent();
    const first = await openIndexedDbScannerStore(factory);
    await first.putBundle(bundle);
    await first.enqueue(scan('b', '2030-06-15T20:00:02.000Z', eventId));
    await first.enqueue(scan('a', '2030-06-15T20:00:01.000Z', eventId));
    await first.enqueue(scan('c', '2030-06-15T20:00:03.000Z', 'another-event'));
    await first.putAdmission({
      eventId,
      ticketId: 't1',
      checkedInAt: '2030-06-15T20:00:01.000Z',
      gate: 'North',
    });

    const reopened = await openIndexedDbScannerStore(factory);
    expect(reopened.isDurable).toBe(true);
    expect(await reopened.getBundle(eventId)).toEqual(bundle);
    expect((await reopened.listQueued(eventId)).map((s) => s.scanId)).toEqual(['a', 'b']);
    expect((await reopened.getAdmission(eventId, 't1'))?.gate).toBe('North');
    expect(await reopened.getAdmission(eventId, 't2')).toBeUndefined();

    await reopened.removeQueued(['a']);
    expect((await reopened.listQueued(eventId)).map((s) => s.scanId)).toEqual(['b']);
  });
});
