import { render, screen, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { validateAnnouncement, isSending } from './announcements-section';
import { filterAttendees } from './attendees-section';
import { KpiTiles } from './event-insights-page';
import {
  describeCheckIns,
  describeSales,
  describeTicketTypes,
  describeTraffic,
  type TAnalytics,
  type TAttendee,
  type TBroadcast,
} from './insights-data';
import { CheckInTable, SalesTable, TicketTypeTable, TrafficTable } from './insights-tables';

/** Two days out of order (the tables sort them), two ticket types, one check-in. */
function makeAnalytics(overrides: Partial<TAnalytics> = {}): TAnalytics {
  return {
    eventId: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10',
    timezone: 'Europe/Lisbon',
    currency: 'EUR',
    views: 1234,
    uniqueVisitors: 800,
    orders: 3,
    conversionRate: 3 / 800,
    ticketsSold: 4,
    revenueCents: 7500,
    checkIns: { admitted: 1, total: 4 },
    byTicketType: [
      {
        ticketTypeId: '11111111-1111-4111-8111-111111111111',
        name: 'Early bird',
        capacity: 10,
        ticketsSold: 3,
        revenueCents: 4500,
        checkedIn: 1,
      },
      {
        ticketTypeId: '22222222-2222-4222-8222-222222222222',
        name: 'Standard',
        capacity: 100,
        ticketsSold: 1,
        revenueCents: 3000,
        checkedIn: 0,
      },
    ],
    daily: [
      {
        date: '2026-03-05',
        views: 1000,
        uniqueVisitors: 600,
        orders: 1,
        ticketsSold: 1,
        revenueCents: 3000,
        checkIns: 0,
      },
      {
        date: '2026-03-04',
        views: 234,
        uniqueVisitors: 200,
        orders: 2,
        ticketsSold: 3,
        revenueCents: 4500,
        checkIns: 1,
      },
    ],
    ...overrides,
  };
}

/** The table's cells row by row, as text. */
function cells(table: HTMLElement): string[][] {
  return within(table)
    .getAllByRole('row')
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''));
}

describe('the charts’ table alternatives', () => {
  test('views and visitors per day, in date order, with totals', () => {
    render(<TrafficTable analytics={makeAnalytics()} />);
    const table = screen.getByRole('table', { name: 'Views and unique visitors per day' });
    expect(cells(table)).toEqual([
      ['Day', 'Views', 'Unique visitors'],
      ['Mar 4', '234', '200'],
      ['Mar 5', '1,000', '600'],
      ['Total', '1,234', '800'],
    ]);
  });

  test('sales per day with revenue in the event’s currency', () => {
    render(<SalesTable analytics={makeAnalytics()} />);
    const table = screen.getByRole('table', { name: /tickets sold and revenue per day/i });
    expect(cells(table)).toEqual([
      ['Day', 'Orders', 'Tickets sold', 'Revenue'],
      ['Mar 4', '2', '3', '€45.00'],
      ['Mar 5', '1', '1', '€30.00'],
      ['Total', '3', '4', '€75.00'],
    ]);
  });

  test('by ticket type, and check-in progress', () => {
    render(
      <>
        <TicketTypeTable analytics={makeAnalytics()} />
        <CheckInTable analytics={makeAnalytics()} />
      </>,
    );
    expect(
      cells(screen.getByRole('table', { name: 'Sales and check-ins by ticket type' })),
    ).toEqual([
      ['Ticket type', 'Sold', 'Capacity', 'Revenue', 'Checked in'],
      ['Early bird', '3', '10', '€45.00', '1'],
      ['Standard', '1', '100', '€30.00', '0'],
    ]);
    expect(cells(screen.getByRole('table', { name: 'Check-in progress' }))).toEqual([
      ['Checked in', '1'],
      ['Not yet checked in', '3'],
      ['Share checked in', '25%'],
    ]);
  });

  test('each chart has a one-sentence summary for its image label', () => {
    const analytics = makeAnalytics();
    expect(describeTraffic(analytics)).toBe(
      '1,234 views by 800 visitors over 2 days; the busiest day was Mar 5 with 1,000 views.',
    );
    expect(describeSales(analytics)).toBe('4 tickets sold for €75.00 on 2 days.');
    expect(describeTicketTypes(analytics)).toBe(
      'Early bird: 3 of 10 sold; Standard: 1 of 100 sold.',
    );
    expect(describeCheckIns(analytics)).toBe('1 of 4 tickets checked in (25%).');
    const empty = makeAnalytics({
      daily: [],
      byTicketType: [],
      checkIns: { admitted: 0, total: 0 },
    });
    expect(describeTraffic(empty)).toBe('No page views yet.');
    expect(describeSales(empty)).toBe('No tickets sold yet.');
    const single = makeAnalytics({
      views: 1,
      uniqueVisitors: 1,
      ticketsSold: 1,
      revenueCents: 3000,
      checkIns: { admitted: 0, total: 1 },
      daily: makeAnalytics()
        .daily.slice(0, 1)
        .map((d) => ({ ...d, views: 1 })),
    });
    expect(describeTraffic(single)).toBe(
      '1 view by 1 visitor over 1 day; the busiest day was Mar 5 with 1 view.',
    );
    expect(describeSales(single)).toBe('1 ticket sold for €30.00 on 1 day.');
    expect(describeCheckIns(single)).toBe('0 of 1 ticket checked in (0%).');
    expect(describeCheckIns(empty)).toBe('No tickets to check in yet.');
  });
});

describe('KPI tiles', () => {
  test('show the API’s numbers, formatted', () => {
    render(<KpiTiles analytics={makeAnalytics()} />);
    const value = (key: string) => screen.getByTestId(`kpi-${key}`).textContent;
    expect(value('views')).toBe('1,234');
    expect(value('visitors')).toBe('800');
    expect(value('conversion')).toBe('0.4%');
    expect(value('tickets')).toBe('4');
    expect(value('revenue')).toBe('€75.00');
    expect(value('check-ins')).toBe('1 / 4');
    expect(screen.getByText('of 110')).toBeTruthy();
  });

  test('before the first visit the conversion is unknown, not zero', () => {
    render(<KpiTiles analytics={makeAnalytics({ conversionRate: null, currency: null })} />);
    expect(screen.getByTestId('kpi-conversion').textContent).toBe('—');
    expect(screen.getByTestId('kpi-revenue').textContent).toBe('—');
  });
});

describe('attendees and announcements', () => {
  const attendee = (overrides: Partial<TAttendee>): TAttendee => ({
    ticketId: crypto.randomUUID(),
    orderId: crypto.randomUUID(),
    ticketTypeId: crypto.randomUUID(),
    ticketTypeName: 'Standard',
    attendeeName: 'Ana Lima',
    attendeeEmail: 'ana@example.com',
    buyerEmail: 'ana@example.com',
    status: 'valid',
    checkedInAt: null,
    issuedAt: '2026-03-04T10:00:00.000Z',
    ...overrides,
  });

  test('search matches every word anywhere; the status filter narrows further', () => {
    const list = [
      attendee({ attendeeName: 'Ana Lima' }),
      attendee({
        attendeeName: 'Bruno Reis',
        attendeeEmail: 'bruno@example.com',
        ticketTypeName: 'VIP',
      }),
      attendee({ attendeeName: 'Carla', checkedInAt: '2026-03-05T20:00:00.000Z' }),
      attendee({ attendeeName: 'Duarte', status: 'void' }),
    ];
    const names = (found: TAttendee[]) => found.map((a) => a.attendeeName);
    expect(names(filterAttendees(list, 'bruno vip', 'all'))).toEqual(['Bruno Reis']);
    expect(names(filterAttendees(list, '  LIMA ', 'all'))).toEqual(['Ana Lima']);
    expect(names(filterAttendees(list, '', 'checked_in'))).toEqual(['Carla']);
    expect(names(filterAttendees(list, '', 'not_checked_in'))).toEqual(['Ana Lima', 'Bruno Reis']);
    expect(names(filterAttendees(list, '', 'void'))).toEqual(['Duarte']);
  });

  test('an announcement needs a subject and a message within the API’s limits', () => {
    expect(validateAnnouncement({ subject: ' ', body: '' })).toEqual({
      subject: 'Write a subject.',
      body: 'Write the message.',
    });
    expect(validateAnnouncement({ subject: 'x'.repeat(151), body: 'Hello' })).toEqual({
      subject: 'Use at most 150 characters.',
    });
    expect(validateAnnouncement({ subject: 'Doors', body: 'Open at 7.' })).toEqual({});
  });

  test('a broadcast is sending until it is fanned out and nothing is pending', () => {
    const broadcast = (isFannedOut: boolean, pending: number): TBroadcast => ({
      id: 1,
      eventId: '7f0b6f5e-2a57-4e8a-9d39-8f1f3c2b9a10',
      kind: 'announcement',
      subject: 'Doors',
      body: 'Open at 7.',
      createdAt: '2026-03-04T10:00:00.000Z',
      isFannedOut,
      deliveries: { recipients: 2, pending, sent: 2 - pending, failed: 0, unconfirmed: 0 },
    });
    expect(isSending(broadcast(false, 0))).toBe(true);
    expect(isSending(broadcast(true, 1))).toBe(true);
    expect(isSending(broadcast(true, 0))).toBe(false);
  });
});
