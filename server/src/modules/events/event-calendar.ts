import { createEvents, type DateArray, type EventAttributes } from 'ics';
import type { TEvent } from './events.schema.js';

const toUtcArray = (iso: string): DateArray => {
  const d = new Date(iso);
  return [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
  ];
};

/** What a calendar entry needs of an event. */
export type TCalendarEvent = Pick<
  TEvent,
  | 'id'
  | 'slug'
  | 'title'
  | 'description'
  | 'startsAt'
  | 'endsAt'
  | 'status'
  | 'venue'
  | 'onlineUrl'
  | 'tags'
> & { organizer: { name: string } };

function toIcsEvent(event: TCalendarEvent, publicUrl: string): EventAttributes {
  const location = event.venue
    ? [event.venue.name, event.venue.address, event.venue.city, event.venue.country]
        .filter(Boolean)
        .join(', ')
    : (event.onlineUrl ?? undefined);
  return {
    uid: `${event.id}@tickitnow`,
    title: event.title,
    description: event.description.slice(0, 2000),
    start: toUtcArray(event.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: toUtcArray(event.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    url: `${publicUrl}/events/${event.slug}`,
    status: event.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    organizer: { name: event.organizer.name },
    productId: 'tickitnow/ics',
    ...(location ? { location } : {}),
    ...(event.tags.length ? { categories: event.tags } : {}),
  };
}

/** An iCalendar (RFC 5545) file for one event; times are UTC instants so every calendar agrees. */
export function renderEventCalendar(event: TCalendarEvent, publicUrl: string): string {
  return renderCalendar([event], publicUrl);
}

/** One iCalendar file holding several events (e.g. every event a person has tickets for). */
export function renderCalendar(events: TCalendarEvent[], publicUrl: string): string {
  if (events.length === 0) {
    // `ics` refuses an empty list; an empty calendar is still a valid answer.
    return 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:tickitnow/ics\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n';
  }
  const { error, value } = createEvents(events.map((e) => toIcsEvent(e, publicUrl)));
  if (error || !value) throw error ?? new Error('calendar rendering failed');
  return value;
}
