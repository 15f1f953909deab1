import { describe, expect, test } from 'vitest';
import { describeCountdown, formatCountdown, remainingMs } from './countdown';

describe('countdown', () => {
  test('remaining time never goes below zero', () => {
    const now = Date.parse('2030-01-01T10:00:00Z');
    expect(remainingMs('2030-01-01T10:09:30Z', now)).toBe(570_000);
    expect(remainingMs('2030-01-01T09:59:00Z', now)).toBe(0);
    expect(remainingMs('not a date', now)).toBe(0);
  });

  test.each([
    [600_000, '10:00'],
    [599_001, '10:00'],
    [545_000, '9:05'],
    [60_000, '1:00'],
    [59_001, '1:00'],
    [59_000, '0:59'],
    [1, '0:01'],
    [0, '0:00'],
    [-5, '0:00'],
    [3_723_000, '1:02:03'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });

  test('in words for screen readers', () => {
    expect(describeCountdown(545_000)).toBe('9 minutes 5 seconds');
    expect(describeCountdown(60_000)).toBe('1 minute');
    expect(describeCountdown(61_000)).toBe('1 minute 1 second');
    expect(describeCountdown(0)).toBe('0 seconds');
  });
});
