import { createContext, useContext } from 'react';
import type { paths } from '../api/schema';

type TActivityBody =
  paths['/api/v1/activity']['post']['requestBody']['content']['application/json'];

/** One activity as the API takes it (`POST /api/v1/activity`). */
export type TActivityItem = Exclude<TActivityBody, readonly unknown[]>;
export type TActivityType = TActivityItem['type'];

/** What the page reports: the tracker adds the anonymous visitor id. */
export type TActivity = Omit<TActivityItem, 'visitorId'>;

export type TActivityTracker = {
  /** Queues an activity; it is sent with the next batch. Never throws. */
  record: (activity: TActivity) => void;
  /** Sends whatever is queued now (the page is being hidden or closed). */
  flush: () => void;
  /** Sends what is queued and stops listening to the page until the next activity. */
  dispose: () => void;
};

/** The API accepts at most this many activities in one request. */
export const MAX_BATCH = 50;
/** Beyond this many waiting activities the oldest are dropped; analytics are not worth memory. */
const MAX_QUEUE = 200;
const VISITOR_KEY = 'tin_visitor';
const ENDPOINT = '/api/v1/activity';

export type TActivityDeps = {
  /** `navigator`: its `doNotTrack` is honoured and its `sendBeacon` preferred. */
  navigator: Pick<Navigator, 'doNotTrack'> & { sendBeacon?: Navigator['sendBeacon'] };
  fetch: typeof fetch;
  /** Where the anonymous visitor id is kept (localStorage); may be missing or throw. */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** The page, whose `visibilitychange` and `pagehide` send the queue before it goes away. */
  page: Pick<Window, 'addEventListener' | 'removeEventListener'> & {
    document: Pick<Document, 'visibilityState'>;
  };
  randomId: () => string;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** How long activities wait to be sent together; at most one request per interval. */
  flushIntervalMs?: number;
};

/** A random, opaque visitor id (22 URL-safe characters, 128 bits). */
export function randomVisitorId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function readVisitorId(deps: TActivityDeps): string {
  try {
    const stored = deps.storage?.getItem(VISITOR_KEY);
    if (stored && /^[A-Za-z0-9_-]{8,64}$/.test(stored)) return stored;
    const fresh = deps.randomId();
    deps.storage?.setItem(VISITOR_KEY, fresh);
    return fresh;
  } catch {
    // Storage blocked (private mode, disabled cookies): count this page load on its own.
    return deps.randomId();
  }
}

/**
 * Records page views and actions for the organizers' analytics without slowing the page down:
 * activities wait in a queue and go out together at most every few seconds, and immediately when
 * the page is hidden or closed, with `navigator.sendBeacon` (which outlives the page), falling back
 * to a `keepalive` fetch. Failures are swallowed: analytics must never break a page.
 * With Do Not Track on, nothing is stored or sent.
 */
export function createActivityTracker(deps: TActivityDeps): TActivityTracker {
  if (deps.navigator.doNotTrack === '1') return noActivityTracker;

  const interval = deps.flushIntervalMs ?? 5_000;
  // Queued without the visitor id: it is read from storage when a batch is sent, so recording a
  // page view while the page starts costs no storage access.
  let queue: TActivity[] = [];
  let timer: unknown = null;
  let visitorId: string | null = null;

  function send(activities: TActivity[]) {
    visitorId ??= readVisitorId(deps);
    const id = visitorId;
    const body = JSON.stringify(activities.map((a): TActivityItem => ({ ...a, visitorId: id })));
    try {
      const blob = new Blob([body], { type: 'application/json' });
      if (deps.navigator.sendBeacon?.(ENDPOINT, blob)) return;
    } catch {
      // Some browsers refuse a JSON beacon; the fetch below carries it instead.
    }
    try {
      deps
        .fetch(ENDPOINT, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
          credentials: 'same-origin',
          keepalive: true,
        })
        .catch(() => undefined);
    } catch {
      // Nothing left to try; the views are lost, the page is fine.
    }
  }

  function flush() {
    if (timer !== null) deps.clearTimeout(timer);
    timer = null;
    while (queue.length > 0) send(queue.splice(0, MAX_BATCH));
  }

  function onVisibilityChange() {
    if (deps.page.document.visibilityState === 'hidden') flush();
  }

  // Listening starts with the first activity, so creating a tracker has no side effects.
  let isListening = false;
  function listen() {
    if (isListening) return;
    isListening = true;
    deps.page.addEventListener('visibilitychange', onVisibilityChange);
    deps.page.addEventListener('pagehide', flush);
  }

  return {
    record(activity) {
      try {
        listen();
        queue.push(activity);
        if (queue.length > MAX_QUEUE) queue = queue.slice(-MAX_QUEUE);
        if (queue.length >= MAX_BATCH) flush();
        else timer ??= deps.setTimeout(flush, interval);
      } catch {
        // Analytics must never break the page.
      }
    },
    flush,
    dispose() {
      flush();
      if (!isListening) return;
      isListening = false;
      deps.page.removeEventListener('visibilitychange', onVisibilityChange);
      deps.page.removeEventListener('pagehide', flush);
    },
  };
}

/** The tracker for this browser tab. */
export function createBrowserActivityTracker(): TActivityTracker {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  return createActivityTracker({
    navigator,
    fetch: (input, init) => globalThis.fetch(input, init),
    storage,
    page: window,
    randomId: randomVisitorId,
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
  });
}

/** A tracker that records nothing: the default without a provider (tests), and with Do Not Track. */
export const noActivityTracker: TActivityTracker = {
  record: () => {},
  flush: () => {},
  dispose: () => {},
};

/** The app's tracker; pages rendered without a provider record nothing. */
export const ActivityContext = createContext<TActivityTracker>(noActivityTracker);

/** The tracker, for a page that reports an action (`event_view`, `calendar_add`, …). */
export function useActivity(): TActivityTracker {
  return useContext(ActivityContext);
}
