import { describe, expect, test } from 'vitest';
import type { TLocalAdmission, TScannerKeys } from './checkin-types';
import { createEd25519Verifier } from './ed25519';
import { checkCodeOffline, mergeScannerKeys } from './offline-check';
import { makeTestEvent } from './test-codes';

const verifySignature = createEd25519Verifier();
const now = new Date('2030-06-15T20:00:00.000Z');

function judge(
  event: ReturnType<typeof makeTestEvent>,
  code: string,
  admissions: TLocalAdmission[] = [],
  at = now,
) {
  return checkCodeOffline({
    code,
    bundle: event.bundle,
    now: at,
    verifySignature,
    findAdmission: (ticketId) => Promise.resolve(admissions.find((a) => a.ticketId === ticketId)),
  });
}

describe('checkCodeOffline', () => {
  test('admits a genuine, valid ticket and names its type', async () => {
    const event = makeTestEvent();
    const { code, ticketId } = event.issue();
    expect(await judge(event, code)).toEqual({
      result: 'ok',
      ticketId,
      ticketTypeId: event.ticketTypeId,
      ticketTypeName: 'General admission',
    });
  });

  test('refuses a tampered code as invalid', async () => {
    const event = makeTestEvent();
    const { code } = event.issue();
    const [prefix, keyId, payload = '', signature] = code.split('.');
    // Another ticket id in the payload, the original signature.
    const altered = `${payload.slice(0, 4)}${payload[4] === 'x' ? 'y' : 'x'}${payload.slice(5)}`;
    const verdict = await judge(event, [prefix, keyId, altered, signature].join('.'));
    expect(verdict.result).toBe('invalid');
    expect(verdict.ticketId).toBeNull();
  });

  test('refuses a code of another event as the wrong event', async () => {
    const event = makeTestEvent();
    const other = makeTestEvent();
    expect((await judge(event, other.issue().code)).result).toBe('wrong_event');
  });

  test('refuses a code signed with this event’s key that names another event', async () => {
    const event = makeTestEvent();
    const { code } = event.issue({ eventId: makeTestEvent().eventId });
    expect((await judge(event, code)).result).toBe('wrong_event');
  });

  test('refuses an expired code as invalid', async () => {
    const event = makeTestEvent();
    const { code } = event.issue({ validUntil: new Date('2030-06-15T19:59:59.000Z') });
    expect((await judge(event, code)).result).toBe('invalid');
  });

  test('refuses a revoked ticket as void', async () => {
    const event = makeTestEvent();
    const { code, ticketId } = event.issue();
    event.bundle.revoked = [ticketId];
    const verdict = await judge(event, code);
    expect(verdict.result).toBe('void');
    expect(verdict.ticketId).toBe(ticketId);
  });

  test('reports a ticket this device already admitted, with when and where', async () => {
    const event = makeTestEvent();
    const { code, ticketId } = event.issue();
    const admission = {
      eventId: event.eventId,
      ticketId,
      checkedInAt: '2030-06-15T19:40:00.000Z',
      gate: 'North',
    };
    expect(await judge(event, code, [admission])).toMatchObject({
      result: 'already_checked_in',
      ticketId,
      checkedInAt: '2030-06-15T19:40:00.000Z',
      gate: 'North',
    });
  });

  test('refuses garbage as invalid', async () => {
    const event = makeTestEvent();
    expect((await judge(event, 'WIFI:S:venue;T:WPA;P:secret;;')).result).toBe('invalid');
  });
});

describe('mergeScannerKeys', () => {
  const event = makeTestEvent();
  const answer = (overrides: Partial<TScannerKeys>): TScannerKeys => {
    const { refreshedAt: _refreshedAt, ...bundle } = event.bundle;
    return { ...bundle, isFullList: true, ...overrides };
  };

  test('adds partial revocation lists to what the device has, and replaces with full ones', () => {
    const first = mergeScannerKeys(
      undefined,
      answer({ revoked: ['a'], revocationVersion: 1 }),
      now,
    );
    const second = mergeScannerKeys(
      first,
      answer({ revoked: ['b'], revocationVersion: 2, isFullList: false }),
      now,
    );
    expect(second.revoked).toEqual(['a', 'b']);
    expect(second.revocationVersion).toBe(2);
    const full = mergeScannerKeys(second, answer({ revoked: ['c'], revocationVersion: 3 }), now);
    expect(full.revoked).toEqual(['c']);
    expect(full.refreshedAt).toBe(now.toISOString());
  });
});
