import { useState } from 'react';
import { api } from '../../../api/client';
import { request } from '../../../api/errors';
import { LiveMessage } from '../../../components/live-message';
import { formatTimestamp } from '../../../lib/event-time';
import { useApiData } from '../../../lib/use-api-data';
import type { TAttendee } from './insights-data';

const filters = {
  all: { label: 'All tickets', matches: () => true },
  valid: { label: 'Valid', matches: (a: TAttendee) => a.status === 'valid' },
  checked_in: { label: 'Checked in', matches: (a: TAttendee) => a.checkedInAt !== null },
  not_checked_in: {
    label: 'Not checked in yet',
    matches: (a: TAttendee) => a.status === 'valid' && a.checkedInAt === null,
  },
  void: { label: 'Void', matches: (a: TAttendee) => a.status === 'void' },
} satisfies Record<string, { label: string; matches: (a: TAttendee) => boolean }>;
type TFilter = keyof typeof filters;
const isFilter = (value: string): value is TFilter => value in filters;

/** Attendees matching a search (name, e-mail, buyer, ticket type) and a status filter. */
export function filterAttendees(
  attendees: readonly TAttendee[],
  query: string,
  filter: TFilter,
): TAttendee[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return attendees.filter((a) => {
    if (!filters[filter].matches(a)) return false;
    const text =
      `${a.attendeeName} ${a.attendeeEmail} ${a.buyerEmail} ${a.ticketTypeName}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Everyone holding a ticket, searchable, with the CSV exports (plain, cookie-authenticated links). */
export function AttendeesSection({ eventId }: { eventId: string }) {
  const attendees = useApiData(`attendees:${eventId}`, (signal) =>
    request(
      api.GET('/api/v1/events/{id}/attendees', { params: { path: { id: eventId } }, signal }),
    ),
  );
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<TFilter>('all');
  const all = (attendees.data as { items: TAttendee[] } | undefined)?.items ?? [];
  const shown = filterAttendees(all, query, filter);

  return (
    <section className="section" aria-labelledby="attendees-heading">
      <div className="section-title-row">
        <h2 id="attendees-heading">Attendees</h2>
        <div className="button-row">
          <a
            className="button button-small button-secondary"
            href={`/api/v1/events/${eventId}/attendees?format=csv`}
            download
          >
            Download CSV<span className="visually-hidden"> of attendees</span>
          </a>
          <a
            className="button button-small button-secondary"
            href={`/api/v1/events/${eventId}/orders.csv`}
            download
          >
            Orders CSV
          </a>
        </div>
      </div>
      <LiveMessage tone="error">
        {attendees.error ? `Attendees could not be loaded: ${attendees.error.message}` : null}
      </LiveMessage>
      {attendees.isLoading && !attendees.data ? (
        <p className="loading">Loading attendees…</p>
      ) : null}
      {attendees.data ? (
        <>
          <div className="filter-bar" role="search" aria-label="Attendees">
            <div className="field">
              <label htmlFor="attendee-search">Search attendees</label>
              <input
                id="attendee-search"
                type="search"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                placeholder="Name, e-mail or ticket type"
              />
            </div>
            <div className="field">
              <label htmlFor="attendee-filter">Show</label>
              <select
                id="attendee-filter"
                value={filter}
                onChange={(e) => {
                  if (isFilter(e.target.value)) setFilter(e.target.value);
                }}
              >
                {Object.entries(filters).map(([value, { label }]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <p className="muted" role="status">
            {all.length === 0
              ? 'No tickets issued yet.'
              : `Showing ${shown.length} of ${all.length} ${all.length === 1 ? 'ticket' : 'tickets'}.`}
          </p>
          {shown.length > 0 ? (
            <div className="table-scroll">
              <table className="data-table attendees-table">
                <caption className="visually-hidden">Attendees</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">E-mail</th>
                    <th scope="col">Ticket type</th>
                    <th scope="col">Status</th>
                    <th scope="col">Checked in</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((a) => (
                    <tr key={a.ticketId}>
                      <th scope="row">
                        {a.attendeeName || <span className="muted">No name</span>}
                      </th>
                      <td>{a.attendeeEmail}</td>
                      <td>{a.ticketTypeName}</td>
                      <td>
                        <span className={`badge badge-ticket-${a.status}`}>
                          {a.status === 'valid' ? 'Valid' : 'Void'}
                        </span>
                      </td>
                      <td>
                        {a.checkedInAt ? (
                          <time dateTime={a.checkedInAt}>{formatTimestamp(a.checkedInAt)}</time>
                        ) : (
                          <span className="muted">Not yet</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
