import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, type TUser } from '../api/client';
import { ApiError, request } from '../api/errors';
import { forgetSignedInHint, hasSignedInHint } from './signed-in-hint';

type TSessionState =
  { status: 'loading' } | { status: 'ready'; user: TUser | null; hasSignedOut: boolean };

export type TSession = {
  /** The signed-in user, null when signed out, undefined while the first check is running. */
  user: TUser | null | undefined;
  isLoading: boolean;
  /** True after the user signed out in this tab: protected pages then go home, not to sign-in. */
  hasSignedOut: boolean;
  /** Records the user after sign-in or a profile change. */
  setUser: (user: TUser | null) => void;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<TSession | null>(null);

/** Loads who is signed in (GET /me) once, when the signed-in hint says so, and offers sign-out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  // Without the server's signed-in hint the visitor is signed out: no request, no second render.
  const [isHinted] = useState(hasSignedInHint);
  const [state, setState] = useState<TSessionState>(
    isHinted ? { status: 'loading' } : { status: 'ready', user: null, hasSignedOut: false },
  );

  useEffect(() => {
    if (!isHinted) return;
    let isActive = true;
    const check = () =>
      request(api.GET('/api/v1/me')).then(
        (user) => isActive && setState({ status: 'ready', user, hasSignedOut: false }),
        (error: unknown) => {
          // 401 just means signed out; on other errors act signed out for now.
          if (isActive) setState({ status: 'ready', user: null, hasSignedOut: false });
          if (error instanceof ApiError && error.status === 401) {
            forgetSignedInHint();
            return;
          }
          console.warn(error);
          // Opened offline (e.g. the scanner from its service worker): ask again once the
          // network is back, rather than staying "signed out" until a reload.
          window.addEventListener('online', () => void (isActive && check()), { once: true });
        },
      );
    void check();
    return () => {
      isActive = false;
    };
  }, [isHinted]);

  const setUser = useCallback(
    (user: TUser | null) => setState({ status: 'ready', user, hasSignedOut: false }),
    [],
  );
  const signOut = useCallback(async () => {
    try {
      await request(api.DELETE('/api/v1/auth/session'));
    } catch (error) {
      // Already signed out on the server is fine; anything else is worth telling.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setState({ status: 'ready', user: null, hasSignedOut: true });
  }, []);

  const value = useMemo<TSession>(
    () => ({
      user: state.status === 'ready' ? state.user : undefined,
      isLoading: state.status === 'loading',
      hasSignedOut: state.status === 'ready' && state.hasSignedOut,
      setUser,
      signOut,
    }),
    [state, setUser, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): TSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
