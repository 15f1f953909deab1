import { createEvent, type DateArray } from 'ics';
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

/** An iCalendar (RFC 5545) file for one event; times are UTC instants so every calendar agrees. */
export function renderEventCalendar(event: TEvent, publicUrl: string): string {
  const location = event.venue
    ? [event.venue.name, event.venue.address, event.venue.city, event.venue.country]
        .filter(Boolean)
        .join(', ')
    : (event.onlineUrl ?? undefined);
  const { error, value } = createEvent({
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
  });
  if (error || !value) throw error ?? new Error('calendar rendering failed');
  return value;
}
