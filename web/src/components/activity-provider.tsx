import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import {
  ActivityContext,
  createBrowserActivityTracker,
  noActivityTracker,
  useActivity,
  type TActivity,
  type TActivityTracker,
} from '../lib/activity';

/** Gives the app one activity tracker for the tab, sending what is left when the app goes away. */
export function ActivityProvider({ children }: { children: ReactNode }) {
  const [tracker] = useState(createBrowserActivityTracker);
  useEffect(() => () => tracker.dispose(), [tracker]);
  return <ActivityContext.Provider value={tracker}>{children}</ActivityContext.Provider>;
}

/**
 * Records `activity` once for as long as it stays the same (null: nothing yet). Re-renders, and
 * React's development double effects, do not count it twice.
 */
export function useRecordActivity(activity: TActivity | null) {
  const tracker = useActivity();
  const last = useRef<{ tracker: TActivityTracker; key: string } | null>(null);
  const key = activity ? JSON.stringify(activity) : null;
  useEffect(() => {
    if (key === null || tracker === noActivityTracker) return;
    if (last.current?.tracker === tracker && last.current.key === key) return;
    last.current = { tracker, key };
    tracker.record(JSON.parse(key) as TActivity);
  }, [tracker, key]);
}

/**
 * Records a `page_view` for every route the visitor reaches. Only the path is sent: query strings
 * can hold one-time tokens (confirmation and unsubscribe links) and searches.
 */
export function PageViewRecorder() {
  const { pathname } = useLocation();
  useRecordActivity({ type: 'page_view', metadata: { path: pathname.slice(0, 300) } });
  return null;
}
