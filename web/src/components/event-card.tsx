import { Link } from 'react-router';
import type { TEvent } from '../api/client';
import { formatEventStart } from '../lib/event-time';
import { categoryLabel } from '../lib/labels';
import { cardImageSizes, EventImage } from './event-image';

/**
 * One event in a list: image, title (the link), when in the event's zone, and where.
 * `isFirst` marks the card at the top of the list, whose image a phone shows without scrolling.
 */
export function EventCard({
  event,
  locale,
  isFirst = false,
}: {
  event: TEvent;
  locale?: string;
  isFirst?: boolean;
}) {
  const place = event.venue ? event.venue.city : 'Online';
  return (
    <article className="event-card">
      <EventImage
        event={event}
        className="event-card-image"
        sizes={cardImageSizes}
        isEager={isFirst}
      />
      <div className="event-card-body">
        <p className="event-card-category">{categoryLabel(event.category)}</p>
        <h2 className="event-card-title">
          <Link to={`/events/${event.slug}`}>{event.title}</Link>
        </h2>
        <p className="event-card-meta">
          <time dateTime={event.startsAt}>
            {formatEventStart(event.startsAt, event.timezone, locale)}
          </time>
        </p>
        <p className="event-card-meta">{place}</p>
        {event.status === 'cancelled' ? <p className="badge badge-cancelled">Cancelled</p> : null}
      </div>
    </article>
  );
}
