import { describe, expect, test } from 'vitest';
import type { TTicketDetail } from '../../api/ticketing';
import { ticketHolder, ticketState } from '../../components/order-status-badge';
import { groupTicketsByEvent } from './my-tickets-page';

function makeTicket(id: string, eventId: string, startsAt: string, orderId = 'o1'): TTicketDetail {
  return {
    id,
    orderId,
    eventId,
    ticketTypeId: 't1',
    code: `code-${id}`,
    status: 'valid',
    attendeeName: 'Ada',
    attendeeEmail: 'ada@example.com',
    checkedInAt: null,
    ticketTypeName: 'Standard',
    event: {
      id: eventId,
      title: `Event ${eventId}`,
      slug: eventId,
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 3 * 3_600_000).toISOString(),
      timezone: 'UTC',
      status: 'published',
      place: 'Somewhere',
    },
  };
}

describe('groupTicketsByEvent', () => {
  test('one group per event: upcoming soonest first, past events last (latest first)', () => {
    const now = Date.parse('2030-06-01T00:00:00Z');
    const groups = groupTicketsByEvent(
      [
        makeTicket('1', 'later', '2030-09-01T18:00:00Z', 'o1'),
        makeTicket('2', 'past-old', '2029-01-01T18:00:00Z', 'o2'),
        makeTicket('3', 'soon', '2030-06-10T18:00:00Z', 'o3'),
        makeTicket('4', 'later', '2030-09-01T18:00:00Z', 'o4'),
        makeTicket('5', 'past-recent', '2030-05-01T18:00:00Z', 'o5'),
        makeTicket('6', 'later', '2030-09-01T18:00:00Z', 'o1'),
      ],
      now,
    );
    expect(groups.map((g) => g.event.id)).toEqual(['soon', 'later', 'past-recent', 'past-old']);
    expect(groups[1]?.tickets.map((t) => t.id)).toEqual(['1', '4', '6']);
    expect(groups[1]?.orderIds).toEqual(['o1', 'o4']);
  });
});

describe('ticket labels', () => {
  test('a ticket without a name is named by its e-mail; states read valid, checked in, void', () => {
    const ticket = makeTicket('1', 'e', '2030-01-01T00:00:00Z');
    expect(ticketHolder(ticket)).toBe('Ada');
    expect(ticketHolder({ ...ticket, attendeeName: ' ' })).toBe('ada@example.com');
    expect(ticketState(ticket)).toBe('valid');
    expect(ticketState({ ...ticket, checkedInAt: '2030-01-01T19:00:00Z' })).toBe('checked_in');
    expect(ticketState({ ...ticket, status: 'void', checkedInAt: '2030-01-01T19:00:00Z' })).toBe(
      'void',
    );
  });
});
