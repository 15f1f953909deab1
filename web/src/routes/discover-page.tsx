import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, eventCategories, type TEvent, type TEventListQuery } from '../api/client';
import { asApiError, request, type ApiError } from '../api/errors';
import { EventCard } from '../components/event-card';
import { LiveMessage } from '../components/live-message';
import { PageHeading, useDocumentTitle } from '../components/page-heading';
import { formText } from '../lib/form-data';
import { categoryLabel } from '../lib/labels';
import { useApiData } from '../lib/use-api-data';

const PAGE_SIZE = 12;
const filterNames = ['q', 'category', 'city', 'from', 'to'] as const;
type TFilters = Record<(typeof filterNames)[number], string>;

function readFilters(params: URLSearchParams): TFilters {
  return {
    q: params.get('q') ?? '',
    category: params.get('category') ?? '',
    city: params.get('city') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** The filters as API query parameters; empty and unknown values are left out. */
export function toEventQuery(filters: TFilters, cursor?: string): TEventListQuery {
  const category = eventCategories.find((c) => c === filters.category);
  return {
    limit: PAGE_SIZE,
    ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    ...(category ? { category } : {}),
    ...(filters.city.trim() ? { city: filters.city.trim() } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(filters.from) ? { from: filters.from } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(filters.to) ? { to: filters.to } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/** The first page of results for the URL's filters: its `useApiData` key and its request. */
export function firstPageRequest(params: URLSearchParams) {
  const query = toEventQuery(readFilters(params));
  return {
    key: `events:${JSON.stringify(query)}`,
    load: (signal?: AbortSignal) =>
      request(api.GET('/api/v1/events', { params: { query }, signal })),
  };
}

type TPage = { items: TEvent[]; nextCursor: string | null };
type TMore = { key: string; pages: TPage[]; isLoading: boolean; error?: ApiError };

export function DiscoverPage() {
  useDocumentTitle('Discover events');
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = readFilters(searchParams);
  const queryKey = JSON.stringify(toEventQuery(filters));
  const first = firstPageRequest(searchParams);
  const firstPage = useApiData(first.key, first.load);
  const [more, setMore] = useState<TMore>({ key: '', pages: [], isLoading: false });
  const morePages = more.key === queryKey ? more.pages : [];
  const pages = firstPage.data ? [firstPage.data, ...morePages] : [];
  const events = pages.flatMap((p) => p.items);
  const nextCursor = pages.at(-1)?.nextCursor ?? null;
  const isFiltered = filterNames.some((name) => filters[name] !== '');

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of filterNames) {
      const value = formText(data, name);
      if (value) next.set(name, value);
    }
    setSearchParams(next);
  }

  async function loadMore() {
    if (!nextCursor) return;
    const key = queryKey;
    setMore({ key, pages: morePages, isLoading: true });
    try {
      const page = await request(
        api.GET('/api/v1/events', { params: { query: toEventQuery(filters, nextCursor) } }),
      );
      setMore((m) => (m.key === key ? { key, pages: [...m.pages, page], isLoading: false } : m));
    } catch (error) {
      setMore((m) => (m.key === key ? { ...m, isLoading: false, error: asApiError(error) } : m));
    }
  }

  const isMoreLoading = more.key === queryKey && more.isLoading;
  const moreError = more.key === queryKey ? more.error : undefined;

  return (
    <>
      <section className="hero">
        <PageHeading>Discover events</PageHeading>
        <p className="lead">Concerts, conferences, workshops and more — find something to go to.</p>
        <form
          key={searchParams.toString()}
          className="search-form"
          role="search"
          aria-label="Events"
          onSubmit={search}
        >
          <div className="field search-field">
            <label htmlFor="search-q">Search</label>
            <input
              id="search-q"
              name="q"
              type="search"
              defaultValue={filters.q}
              placeholder="Title, description or tag"
              maxLength={200}
            />
          </div>
          <div className="filter-row">
            <div className="field">
              <label htmlFor="search-category">Category</label>
              <select id="search-category" name="category" defaultValue={filters.category}>
                <option value="">All categories</option>
                {eventCategories.map((c) => (
                  <option key={c} value={c}>
                    {categoryLabel(c)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="search-city">City</label>
              <input
                id="search-city"
                name="city"
                defaultValue={filters.city}
                autoComplete="address-level2"
                maxLength={100}
              />
            </div>
            <div className="field">
              <label htmlFor="search-from">From</label>
              <input id="search-from" name="from" type="date" defaultValue={filters.from} />
            </div>
            <div className="field">
              <label htmlFor="search-to">To</label>
              <input id="search-to" name="to" type="date" defaultValue={filters.to} />
            </div>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary">
              Search
            </button>
            {isFiltered ? (
              <Link to="/" className="button button-secondary">
                Clear filters
              </Link>
            ) : null}
          </div>
        </form>
      </section>

      <section aria-labelledby="results-heading" className="results">
        <h2 id="results-heading" className="visually-hidden">
          Results
        </h2>
        <LiveMessage tone={firstPage.error ? 'error' : 'info'}>
          {firstPage.error
            ? `Events could not be loaded: ${firstPage.error.message}`
            : firstPage.isLoading
              ? 'Loading events…'
              : events.length === 0
                ? isFiltered
                  ? 'No events match these filters.'
                  : 'No upcoming events yet.'
                : `Showing ${events.length} ${events.length === 1 ? 'event' : 'events'}.`}
        </LiveMessage>
        {firstPage.error ? (
          <button type="button" className="button button-secondary" onClick={firstPage.reload}>
            Try again
          </button>
        ) : null}
        {events.length > 0 ? (
          <ul className="card-grid" aria-label="Events">
            {events.map((event, index) => (
              <li key={event.id}>
                <EventCard event={event} isFirst={index === 0} />
              </li>
            ))}
          </ul>
        ) : null}
        {moreError ? <p className="notice notice-error">{moreError.message}</p> : null}
        {nextCursor ? (
          <div className="load-more">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => void loadMore()}
              disabled={isMoreLoading}
            >
              {isMoreLoading ? 'Loading…' : 'Load more'}
            </button>
          </div>
        ) : null}
      </section>
    </>
  );
}
