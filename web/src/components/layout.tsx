import { Suspense, useState } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';
import { useIsDevMailboxAvailable } from '../lib/dev-mailbox-context';
import { useSession } from '../session/session-context';
import { signInPath } from '../lib/safe-redirect';
import { PageViewRecorder } from './activity-provider';
import { createRouteFocus, RouteFocusContext } from './page-heading';
import { NewsletterSignup } from './subscribe-form';

/** The frame of every page: skip link, header with navigation, main content, footer. */
export function Layout() {
  const { user } = useSession();
  const isDevMailboxAvailable = useIsDevMailboxAvailable();
  const [routeFocus] = useState(() => createRouteFocus(document));
  const location = useLocation();
  // Signing in from any page comes back to it.
  const signInLink =
    location.pathname === '/sign-in'
      ? `/sign-in${location.search}`
      : signInPath(`${location.pathname}${location.search}`);

  return (
    <RouteFocusContext.Provider value={routeFocus}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container site-header-inner">
          <Link to="/" className="brand">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>TickItNow</span>
          </Link>
          <nav aria-label="Main">
            <ul className="nav-list">
              <li>
                <NavLink to="/" end>
                  Discover
                </NavLink>
              </li>
              {user ? (
                <>
                  <li>
                    <NavLink to="/tickets">My tickets</NavLink>
                  </li>
                  <li>
                    <NavLink to="/dashboard">Dashboard</NavLink>
                  </li>
                  <li>
                    <NavLink to="/account">Account</NavLink>
                  </li>
                </>
              ) : (
                <li>
                  <NavLink to={signInLink}>Sign in</NavLink>
                </li>
              )}
              {isDevMailboxAvailable ? (
                <li>
                  <NavLink to="/dev/mailbox">Dev mailbox</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="container main" tabIndex={-1}>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <div className="container site-footer-inner">
          <p>TickItNow — open-source event ticketing.</p>
          <NewsletterSignup />
          <ul className="footer-links">
            <li>
              <a href="/api/docs">API documentation</a>
            </li>
            {isDevMailboxAvailable ? (
              <li>
                <Link to="/dev/mailbox">Dev mailbox (local mode)</Link>
              </li>
            ) : null}
          </ul>
        </div>
      </footer>
      <ScrollRestoration />
      <PageViewRecorder />
    </RouteFocusContext.Provider>
  );
}
