import { lazy, useState } from 'react';
import { createBrowserRouter, matchPath, RouterProvider, type RouteObject } from 'react-router';
import { ActivityProvider } from './components/activity-provider';
import { cardImageSizes, heroImageSizes, preloadEventImage } from './components/event-image';
import { Layout } from './components/layout';
import { DevMailboxProvider } from './lib/dev-mailbox-context';
import { loadEarly } from './lib/early-data';
import { DiscoverPage, firstPageRequest } from './routes/discover-page';
import { EventPage, eventRequest } from './routes/event-page';
import { NotFoundPage } from './routes/not-found-page';
import { SignInPage } from './routes/sign-in-page';
import { SessionProvider } from './session/session-context';

// The organizer area and the tools are loaded on demand, so visitors download only public pages.
const DashboardPage = lazy(() => import('./routes/dashboard/dashboard-page'));
const OrganizerPage = lazy(() => import('./routes/dashboard/organizer-page'));
const EventEditorPage = lazy(() => import('./routes/dashboard/event-editor-page'));
const AccountPage = lazy(() => import('./routes/account-page'));
const DevMailboxPage = lazy(() => import('./routes/dev-mailbox-page'));
const ScannerPage = lazy(() => import('./routes/scanner/scanner-page'));
const TicketTypesPage = lazy(() => import('./routes/dashboard/ticket-types-page'));
const EventOrdersPage = lazy(() => import('./routes/dashboard/event-orders-page'));
const CheckoutPage = lazy(() => import('./routes/checkout/checkout-page'));
const OrderPage = lazy(() => import('./routes/orders/order-page'));
const MyTicketsPage = lazy(() => import('./routes/tickets/my-tickets-page'));
const WaitlistClaimPage = lazy(() => import('./routes/waitlist/waitlist-claim-page'));
const SubscriptionConfirmPage = lazy(() => import('./routes/engagement/subscription-confirm-page'));
const UnsubscribePage = lazy(() => import('./routes/engagement/unsubscribe-page'));
const EventInsightsPage = lazy(() => import('./routes/dashboard/insights/event-insights-page'));

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <DiscoverPage /> },
      { path: 'events/:slug', element: <EventPage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'dashboard', element: <DashboardPage /> },
      { path: 'dashboard/organizers/:id', element: <OrganizerPage /> },
      { path: 'dashboard/organizers/:orgId/events/new', element: <EventEditorPage /> },
      { path: 'dashboard/events/:id/edit', element: <EventEditorPage /> },
      { path: 'dashboard/events/:id/ticket-types', element: <TicketTypesPage /> },
      { path: 'dashboard/events/:id/orders', element: <EventOrdersPage /> },
      { path: 'checkout/:orderId', element: <CheckoutPage /> },
      { path: 'orders/:id', element: <OrderPage /> },
      { path: 'tickets', element: <MyTicketsPage /> },
      { path: 'waitlist/claim', element: <WaitlistClaimPage /> },
      { path: 'dashboard/events/:id/insights', element: <EventInsightsPage /> },
      { path: 'subscriptions/confirm', element: <SubscriptionConfirmPage /> },
      { path: 'unsubscribe', element: <UnsubscribePage /> },
      { path: 'account', element: <AccountPage /> },
      { path: 'dev/mailbox', element: <DevMailboxPage /> },
      { path: 'scanner/:eventId', element: <ScannerPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

/**
 * Starts the data request of the public page at `location` (discover, an event), the pages
 * visitors arrive on, before the app has rendered anything (main.tsx).
 */
export function loadFirstPageData(location: Pick<Location, 'pathname' | 'search'>): void {
  // Each page's first image is its largest paint: it starts loading with the data.
  if (location.pathname === '/') {
    const first = firstPageRequest(new URLSearchParams(location.search));
    loadEarly(first.key, () =>
      first.load().then((page) => {
        preloadEventImage(page.items[0], cardImageSizes);
        return page;
      }),
    );
    return;
  }
  const slug = matchPath('/events/:slug', location.pathname)?.params.slug;
  if (slug) {
    const page = eventRequest(slug);
    loadEarly(page.key, () =>
      page.load().then((event) => {
        preloadEventImage(event, heroImageSizes);
        return event;
      }),
    );
  }
}

export function App() {
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <SessionProvider>
      <DevMailboxProvider>
        <ActivityProvider>
          <RouterProvider router={router} />
        </ActivityProvider>
      </DevMailboxProvider>
    </SessionProvider>
  );
}
