import { lazy, Suspense } from 'react';
import { useParams } from 'react-router';
import { api, type TEvent } from '../../../api/client';
import { request } from '../../../api/errors';
import { EventAdminFrame } from '../../../components/event-admin-nav';
import { LiveMessage } from '../../../components/live-message';
import { useDocumentTitle } from '../../../components/page-heading';
import { RequireSignIn } from '../../../components/require-sign-in';
import { permissionsFor } from '../../../lib/permissions';
import { useApiData } from '../../../lib/use-api-data';
import { AnnouncementsSection } from './announcements-section';
import { AttendeesSection } from './attendees-section';
import {
  formatCount,
  formatPercent,
  formatRevenue,
  totalCapacity,
  type TAnalytics,
} from './insights-data';

// Chart.js is the biggest thing on this page: it loads after the numbers, in its own chunk.
const InsightsCharts = lazy(() => import('./insights-charts'));

/**
 * `/dashboard/events/:id/insights`: how an event is doing (views, conversion, sales, check-ins),
 * who is coming, and announcements to them. For owners and managers.
 */
export default function EventInsightsPage() {
  const { id = '' } = useParams();
  useDocumentTitle('Insights');
  return (
    <RequireSignIn>
      {() => (
        <EventAdminFrame key={id} eventId={id} title="Insights">
          {(event, organizer) =>
            permissionsFor(organizer.role).canEditEvents ? (
              <EventInsights event={event} />
            ) : (
              <p className="notice notice-info">
                Only owners and managers can see insights, attendees and announcements.
              </p>
            )
          }
        </EventAdminFrame>
      )}
    </RequireSignIn>
  );
}

function EventInsights({ event }: { event: TEvent }) {
  const analytics = useApiData(`analytics:${event.id}`, (signal) =>
    request(
      api.GET('/api/v1/events/{id}/analytics', { params: { path: { id: event.id } }, signal }),
    ),
  );
  return (
    <>
      <section className="section" aria-labelledby="analytics-heading">
        <div className="section-title-row">
          <h2 id="analytics-heading">Analytics</h2>
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={analytics.reload}
            disabled={analytics.isLoading}
          >
            Refresh<span className="visually-hidden"> analytics</span>
          </button>
        </div>
        <LiveMessage tone="error">
          {analytics.error ? `Analytics could not be loaded: ${analytics.error.message}` : null}
        </LiveMessage>
        {analytics.data ? (
          <>
            <KpiTiles analytics={analytics.data} />
            {analytics.data.daily.length > 0 || analytics.data.byTicketType.length > 0 ? (
              <Suspense fallback={<p className="loading">Loading charts…</p>}>
                <InsightsCharts analytics={analytics.data} />
              </Suspense>
            ) : (
              <p>No views or sales yet. Charts appear once people visit the event page.</p>
            )}
          </>
        ) : !analytics.error ? (
          <p className="loading">Loading analytics…</p>
        ) : null}
      </section>
      <AttendeesSection eventId={event.id} />
      <AnnouncementsSection eventId={event.id} />
    </>
  );
}

/** The headline numbers, each with a word on what it counts. */
export function KpiTiles({ analytics }: { analytics: TAnalytics }) {
  const capacity = totalCapacity(analytics);
  const { admitted, total } = analytics.checkIns;
  const tiles = [
    {
      key: 'views',
      label: 'Page views',
      value: formatCount(analytics.views),
      note: 'of the event page',
    },
    {
      key: 'visitors',
      label: 'Unique visitors',
      value: formatCount(analytics.uniqueVisitors),
      note: 'people or browsers',
    },
    {
      key: 'conversion',
      label: 'Conversion',
      value: formatPercent(analytics.conversionRate),
      note: `${formatCount(analytics.orders)} paid ${analytics.orders === 1 ? 'order' : 'orders'}`,
    },
    {
      key: 'tickets',
      label: 'Tickets sold',
      value: formatCount(analytics.ticketsSold),
      note: capacity > 0 ? `of ${formatCount(capacity)}` : 'no ticket types yet',
    },
    {
      key: 'revenue',
      label: 'Revenue',
      value: formatRevenue(analytics.revenueCents, analytics.currency),
      note: 'paid orders',
    },
    {
      key: 'check-ins',
      label: 'Checked in',
      value: `${formatCount(admitted)} / ${formatCount(total)}`,
      note: total > 0 ? formatPercent(admitted / total) : 'no tickets yet',
    },
  ];
  return (
    <dl className="kpi-tiles">
      {tiles.map((tile) => (
        <div key={tile.key} className="kpi-tile">
          <dt>{tile.label}</dt>
          <dd className="kpi-value" data-testid={`kpi-${tile.key}`}>
            {tile.value}
          </dd>
          <dd className="kpi-note">{tile.note}</dd>
        </div>
      ))}
    </dl>
  );
}
