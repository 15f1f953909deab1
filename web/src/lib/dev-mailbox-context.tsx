import { createContext, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../api/client';

const DevMailboxContext = createContext(false);

/**
 * Finds out once whether the server runs the dev mailbox (local mode): only then does the app
 * link to /dev/mailbox. In production the route does not exist and the link never shows.
 */
export function DevMailboxProvider({ children }: { children: ReactNode }) {
  const [isAvailable, setIsAvailable] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    api
      .GET('/api/v1/dev/mailbox', { params: { query: { limit: 1 } }, signal: controller.signal })
      .then(
        ({ response }) => setIsAvailable(response.status === 200),
        () => undefined,
      );
    return () => controller.abort();
  }, []);
  return <DevMailboxContext.Provider value={isAvailable}>{children}</DevMailboxContext.Provider>;
}

/** True when the dev mailbox exists on this server. */
export function useIsDevMailboxAvailable(): boolean {
  return useContext(DevMailboxContext);
}
