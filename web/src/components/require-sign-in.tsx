import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { TUser } from '../api/client';
import { signInPath } from '../lib/safe-redirect';
import { useSession } from '../session/session-context';

/** Renders its children for a signed-in user; sends anyone else to sign in and back here. */
export function RequireSignIn({ children }: { children: (user: TUser) => ReactNode }) {
  const { user, hasSignedOut } = useSession();
  const location = useLocation();
  if (user === undefined) return <p className="loading">Loading…</p>;
  // Having just signed out, the user is done here: go home rather than to sign-in.
  if (user === null && hasSignedOut) return <Navigate to="/" replace />;
  if (user === null)
    return <Navigate to={signInPath(`${location.pathname}${location.search}`)} replace />;
  return children(user);
}
