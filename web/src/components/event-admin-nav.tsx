import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';
import { api, type TEvent, type TOrganizer } from '../api/client';
import { request } from '../api/errors';
import { useApiData } from '../lib/use-api-data';
import { LiveMessage } from './live-message';
import { PageHeading } from './page-heading';

/** The tabs of one event in the organizer area: details, ticket types, orders, insights. */
export function EventAdminNav({ eventId }: { eventId: string }) {
  return (
    <nav className="event-admin-nav" aria-label="Event management">
      <ul>
        <li>
          <NavLink to={`/dashboard/events/${eventId}/edit`} end>
            Details
          </NavLink>
        </li>
        <li>
          <NavLink to={`/dashboard/events/${eventId}/ticket-types`}>Ticket types</NavLink>
        </li>
        <li>
          <NavLink to={`/dashboard/events/${eventId}/orders`}>Orders</NavLink>
        </li>
        <li>
          <NavLink to={`/dashboard/events/${eventId}/insights`}>Insights</NavLink>
        </li>
      </ul>
    </nav>
  );
}

/**
 * Loads an event and its organizer (for the caller's role) for an organizer page, showing the
 * loading and error states under `title`; renders `children` once both are there.
 */
export function EventAdminFrame({
  eventId,
  title,
  children,
}: {
  eventId: string;
  title: string;
  children: (event: TEvent, organizer: TOrganizer) => ReactNode;
}) {
  const event = useApiData(`event:${eventId}`, (signal) =>
    request(api.GET('/api/v1/events/{id}', { params: { path: { id: eventId } }, signal })),
  );
  const organizerId = event.data?.organizerId;
  const organizer = useApiData(organizerId ? `organizer:${organizerId}` : null, (signal) =>
    request(
      api.GET('/api/v1/organizers/{id}', { params: { path: { id: organizerId ?? '' } }, signal }),
    ),
  );
  if (!event.data || !organizer.data) {
    const error = event.error ?? organizer.error;
    const isNotFound = error?.status === 404 || error?.code === 'validation_failed';
    return (
      <section>
        <PageHeading>{isNotFound ? 'Event not found' : title}</PageHeading>
        <LiveMessage tone="error">
          {error
            ? isNotFound
              ? 'This event does not exist, or you are not on its team.'
              : error.message
            : null}
        </LiveMessage>
        {!error ? <p className="loading">Loading…</p> : null}
      </section>
    );
  }
  const org = organizer.data;
  const current = event.data;
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> /{' '}
        <Link to={`/dashboard/organizers/${org.id}`}>{org.name}</Link> / {current.title}
      </p>
      <PageHeading>{title}</PageHeading>
      <EventAdminNav eventId={current.id} />
      {children(current, org)}
    </section>
  );
}
