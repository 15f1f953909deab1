import { describe, expect, test } from 'vitest';
import {
  instantToZonedLocal,
  isValidTimeZone,
  listTimeZones,
  zonedLocalToInstant,
  zoneOffsetMs,
} from './zoned-time';

describe('zonedLocalToInstant', () => {
  test.each([
    ['2026-12-05T20:00', 'Europe/Lisbon', '2026-12-05T20:00:00+00:00'],
    ['2026-07-05T20:00', 'Europe/Lisbon', '2026-07-05T20:00:00+01:00'],
    ['2026-07-01T19:30', 'America/New_York', '2026-07-01T19:30:00-04:00'],
    ['2026-01-15T19:30', 'America/New_York', '2026-01-15T19:30:00-05:00'],
    ['2026-03-10T09:00', 'Asia/Kolkata', '2026-03-10T09:00:00+05:30'],
    ['2026-03-10T09:00', 'Asia/Kathmandu', '2026-03-10T09:00:00+05:45'],
    ['2026-06-01T00:00', 'UTC', '2026-06-01T00:00:00+00:00'],
    ['2026-12-31T23:59', 'Pacific/Kiritimati', '2026-12-31T23:59:00+14:00'],
    ['2026-04-01T12:00', 'America/St_Johns', '2026-04-01T12:00:00-02:30'],
  ])('%s in %s is %s', (local, zone, expected) => {
    expect(zonedLocalToInstant(local, zone)).toBe(expected);
  });

  test('names the same instant as the wall clock it came from', () => {
    const iso = zonedLocalToInstant('2026-10-10T08:15', 'Australia/Sydney');
    expect(new Date(iso).toISOString()).toBe('2026-10-09T21:15:00.000Z');
    expect(instantToZonedLocal(iso, 'Australia/Sydney')).toBe('2026-10-10T08:15');
  });

  test('a time skipped by a spring-forward jump moves forward by the gap', () => {
    // Berlin jumps from 02:00 CET to 03:00 CEST on 2026-03-29.
    expect(zonedLocalToInstant('2026-03-29T02:30', 'Europe/Berlin')).toBe(
      '2026-03-29T03:30:00+02:00',
    );
    expect(zonedLocalToInstant('2026-03-08T02:15', 'America/New_York')).toBe(
      '2026-03-08T03:15:00-04:00',
    );
  });

  test('a time that happens twice on a fall-back night resolves to the earlier one', () => {
    // Berlin goes back from 03:00 CEST to 02:00 CET on 2026-10-25.
    expect(zonedLocalToInstant('2026-10-25T02:30', 'Europe/Berlin')).toBe(
      '2026-10-25T02:30:00+02:00',
    );
    expect(zonedLocalToInstant('2026-10-25T03:30', 'Europe/Berlin')).toBe(
      '2026-10-25T03:30:00+01:00',
    );
  });

  test('accepts seconds', () => {
    expect(zonedLocalToInstant('2026-05-01T10:00:30', 'Europe/Paris')).toBe(
      '2026-05-01T10:00:30+02:00',
    );
  });

  test.each(['', '2026-02-30T10:00', '2026-13-01T10:00', '2026-01-01T24:00', '2026-01-01 10:00'])(
    'rejects the impossible date-time %j',
    (local) => {
      expect(() => zonedLocalToInstant(local, 'Europe/Berlin')).toThrow(RangeError);
    },
  );

  test('rejects an unknown zone', () => {
    expect(() => zonedLocalToInstant('2026-05-01T10:00', 'Mars/Olympus_Mons')).toThrow(
      /Unknown time zone/,
    );
  });
});

describe('instantToZonedLocal', () => {
  test('shows an instant as the wall clock of the zone', () => {
    expect(instantToZonedLocal('2026-11-28T18:00:00.000Z', 'America/Los_Angeles')).toBe(
      '2026-11-28T10:00',
    );
    expect(instantToZonedLocal('2026-11-28T23:30:00.000Z', 'Asia/Tokyo')).toBe('2026-11-29T08:30');
  });

  test('round-trips every half hour across a daylight-saving change', () => {
    const start = Date.parse('2026-10-24T20:00:00Z');
    for (let i = 0; i < 24; i += 1) {
      const instant = new Date(start + i * 30 * 60_000).toISOString();
      const local = instantToZonedLocal(instant, 'Europe/London');
      const back = zonedLocalToInstant(local, 'Europe/London');
      // The hour London repeats maps back to its first occurrence; all others are exact.
      const difference = Date.parse(instant) - Date.parse(back);
      expect([0, 3_600_000]).toContain(difference);
    }
  });
});

describe('zone helpers', () => {
  test('offsets are east-positive milliseconds', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe(19_800_000);
    expect(zoneOffsetMs(Date.parse('2026-01-01T00:00:00Z'), 'America/Chicago')).toBe(-21_600_000);
  });

  test('knows real zones and refuses made-up ones', () => {
    expect(isValidTimeZone('Europe/Lisbon')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
  });

  test('the zone list is sorted, unique and includes extras', () => {
    const zones = listTimeZones('Etc/GMT+5');
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/Berlin');
    expect(zones).toContain('Etc/GMT+5');
    expect(new Set(zones).size).toBe(zones.length);
    expect([...zones].sort((a, b) => a.localeCompare(b))).toEqual(zones);
  });
});
