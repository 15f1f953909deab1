import { Link, useParams, useSearchParams } from 'react-router';
import { api, type TEvent } from '../api/client';
import { request } from '../api/errors';
import { EventImage, heroImageSizes } from '../components/event-image';
import { LiveMessage } from '../components/live-message';
import { PageHeading, useDocumentTitle } from '../components/page-heading';
import { useRecordActivity } from '../components/activity-provider';
import { EventFollowSection } from '../components/subscribe-form';
import { TicketSelector } from '../components/ticket-selector';
import { formatEventRange, formatTimeZone } from '../lib/event-time';
import { ageRatingLabel, categoryLabel, languageLabel } from '../lib/labels';
import { decodeSelection } from '../lib/ticket-selection';
import { useApiData } from '../lib/use-api-data';

/** A link that searches OpenStreetMap for the venue; no map tiles, no third-party scripts. */
export function mapSearchUrl(venue: NonNullable<TEvent['venue']>): string {
  const query = [venue.name, venue.address, venue.city, venue.country].filter(Boolean).join(', ');
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(query)}`;
}

function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The public event by its slug: its `useApiData` key and its request. */
export function eventRequest(slug: string) {
  return {
    key: `event:${slug}`,
    load: (signal?: AbortSignal) =>
      request(api.GET('/api/v1/events/{id}', { params: { path: { id: slug } }, signal })),
  };
}

export function EventPage() {
  const { slug = '' } = useParams();
  const [searchParams] = useSearchParams();
  const page = eventRequest(slug);
  const { data: event, error } = useApiData(page.key, page.load);
  const isNotFound = error?.status === 404 || error?.code === 'validation_failed';
  useDocumentTitle(event?.title ?? (isNotFound ? 'Event not found' : 'Event'));
  useRecordActivity(event ? { type: 'event_view', eventId: event.id } : null);

  if (!event) {
    return (
      <section className="narrow">
        <PageHeading>
          {isNotFound ? 'Event not found' : error ? 'Event' : 'Loading event…'}
        </PageHeading>
        <LiveMessage tone={error ? 'error' : 'info'}>
          {isNotFound
            ? 'This event does not exist or is not public.'
            : error
              ? `The event could not be loaded: ${error.message}`
              : null}
        </LiveMessage>
        {error ? (
          <p>
            <Link to="/">Discover other events</Link>
          </p>
        ) : null}
      </section>
    );
  }

  return (
    <article className="event-page">
      {event.status === 'cancelled' ? (
        <div className="banner banner-cancelled">
          <strong>This event has been cancelled.</strong> Ticket holders are notified by e-mail.
        </div>
      ) : null}
      {event.status === 'draft' ? (
        <div className="banner banner-draft">
          <strong>Draft.</strong> Only the organizer&apos;s team can see this page until it is
          published.
        </div>
      ) : null}
      <EventImage event={event} className="event-hero-image" sizes={heroImageSizes} isEager />
      <header className="event-header">
        <p className="event-category">{categoryLabel(event.category)}</p>
        <PageHeading>{event.title}</PageHeading>
        <p className="event-organizer">
          By <strong>{event.organizer.name}</strong>
        </p>
      </header>

      {event.status !== 'cancelled' ? (
        <TicketSelector
          key={event.id}
          event={event}
          initialSelection={decodeSelection(searchParams.get('select'))}
        />
      ) : null}

      <div className="event-layout">
        <section className="event-facts" aria-label="Event details">
          <dl>
            <div>
              <dt>When</dt>
              <dd>
                <time dateTime={event.startsAt}>
                  {formatEventRange(event.startsAt, event.endsAt, event.timezone)}
                </time>
                <span className="muted block">
                  Time zone: {formatTimeZone(event.timezone, event.startsAt)}
                </span>
              </dd>
            </div>
            <div>
              <dt>Where</dt>
              <dd>
                {event.venue ? (
                  <>
                    <span className="block">{event.venue.name}</span>
                    {event.venue.address ? (
                      <span className="block">{event.venue.address}</span>
                    ) : null}
                    <span className="block">
                      {event.venue.city}, {countryName(event.venue.country)}
                    </span>
                    <a href={mapSearchUrl(event.venue)} rel="noopener noreferrer" target="_blank">
                      Show on map
                      <span className="visually-hidden"> (OpenStreetMap, opens in a new tab)</span>
                    </a>
                  </>
                ) : event.onlineUrl ? (
                  <>
                    <span className="block">Online</span>
                    <a href={event.onlineUrl} rel="noopener noreferrer nofollow">
                      {event.onlineUrl}
                    </a>
                  </>
                ) : (
                  'To be announced'
                )}
              </dd>
            </div>
            <div>
              <dt>Age</dt>
              <dd>{ageRatingLabel(event.ageRating)}</dd>
            </div>
            <div>
              <dt>Language</dt>
              <dd>{languageLabel(event.language)}</dd>
            </div>
          </dl>
          {event.status !== 'cancelled' ? (
            <a
              className="button button-secondary"
              href={`/api/v1/events/${event.id}/calendar.ics`}
              download={`${event.slug}.ics`}
            >
              Add to calendar
            </a>
          ) : null}
        </section>

        <section className="event-description" aria-labelledby="about-heading">
          <h2 id="about-heading">About this event</h2>
          {event.descriptionHtml ? (
            // Rendered from Markdown and sanitized by the server; the only HTML the app trusts.
            <div className="prose" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
          ) : (
            <p className="muted">No description yet.</p>
          )}
          {event.tags.length > 0 ? (
            <ul className="tag-list" aria-label="Tags">
              {event.tags.map((tag) => (
                <li key={tag} className="tag">
                  {tag}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>
      {event.status !== 'draft' ? <EventFollowSection event={event} /> : null}
    </article>
  );
}
