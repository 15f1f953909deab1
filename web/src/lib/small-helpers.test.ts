import { describe, expect, test } from 'vitest';
import { formatEventRange, formatTimeZone } from './event-time';
import { safeRedirectPath, signInPath } from './safe-redirect';
import { extractSignInCode } from './sign-in-code';

describe('safeRedirectPath', () => {
  test.each([
    ['/dashboard/organizers/1', '/dashboard/organizers/1'],
    ['/events/x?y=1', '/events/x?y=1'],
    [null, '/dashboard'],
    ['https://evil.example', '/dashboard'],
    ['//evil.example', '/dashboard'],
    ['/\\evil.example', '/dashboard'],
    ['/sign-in?next=/x', '/dashboard'],
  ])('%s → %s', (next, expected) => {
    expect(safeRedirectPath(next)).toBe(expected);
  });

  test('signInPath carries the way back', () => {
    expect(signInPath('/dashboard')).toBe('/sign-in?next=%2Fdashboard');
    expect(signInPath('/')).toBe('/sign-in');
  });
});

describe('extractSignInCode', () => {
  test('finds the code in a sign-in mail and nothing in other mail', () => {
    expect(
      extractSignInCode({
        subject: 'Your TickItNow sign-in code',
        text: 'Your TickItNow sign-in code is 042917\n\nIt works once and expires in 10 minutes.',
      }),
    ).toBe('042917');
    expect(
      extractSignInCode({ subject: 'Event cancelled', text: 'Order 123456 refunded.' }),
    ).toBeNull();
  });
});

describe('event time formatting', () => {
  test('a range is written in the event’s zone', () => {
    expect(
      formatEventRange('2026-12-05T20:00:00Z', '2026-12-05T23:00:00Z', 'Europe/Lisbon', 'en-GB'),
    ).toMatch(/^Saturday,? 5 December 2026,? 20:00\s?–\s?23:00$/);
  });

  test('the zone label names the zone and its offset at that date', () => {
    expect(formatTimeZone('America/New_York', '2030-06-15T23:30:00Z', 'en-US')).toBe(
      'America/New York (GMT-4)',
    );
    expect(formatTimeZone('America/New_York', '2030-01-15T23:30:00Z', 'en-US')).toBe(
      'America/New York (GMT-5)',
    );
  });
});
