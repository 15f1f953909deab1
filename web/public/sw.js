/* global self, caches */
/**
 * TickItNow's service worker: keeps the app shell (index.html) and the built assets on the
 * device, so the app — above all the door scanner — opens with no network after one visit.
 *
 * - Navigations are network-first: a fresh index.html when the server answers (in time), the
 *   cached one when it does not.
 * - Built assets are cache-first: their names carry a content hash, so they never change.
 * - The API, stored files and function routes are never touched or cached: their answers carry
 *   personal data and short-lived signed URLs. The scanner keeps its own offline data.
 *
 * The build replaces BUILD below with this build's file list and version (vite.config.ts), so
 * every deploy installs a new worker that caches the new files and drops the old cache.
 */
const BUILD = { version: 'dev', files: [] };

const CACHE_PREFIX = 'tickitnow-shell-';
const CACHE = `${CACHE_PREFIX}${BUILD.version}`;
const SHELL = '/index.html';
/** A navigation waits this long for the network before the cached shell is shown. */
const NAVIGATION_TIMEOUT_MS = 4000;
const NEVER_CACHED = /^\/(api|fn|files)(\/|$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(BUILD.files.map((file) => `/${file}`)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER_CACHED.test(url.pathname)) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
  } else if (url.pathname.startsWith('/assets/') || BUILD.files.includes(url.pathname.slice(1))) {
    event.respondWith(cacheFirst(request));
  }
});

/** The page from the network (keeping its shell for later), or the cached shell offline. */
async function navigate(request) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then(async (response) => {
    const type = response.headers.get('content-type') ?? '';
    // Every app route answers with the same shell; keep the newest one.
    if (response.ok && !response.redirected && type.includes('text/html'))
      await cache.put(SHELL, response.clone());
    return response;
  });
  const cached = await cache.match(SHELL);
  if (!cached) return fromNetwork;
  // A slow network should not keep the door waiting: after a while, the cached shell it is.
  const late = new Promise((resolve) => setTimeout(() => resolve(cached), NAVIGATION_TIMEOUT_MS));
  return Promise.race([fromNetwork.catch(() => cached), late]);
}

/** A hashed asset from the cache, or from the network (and then cached). */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  try {
    const response = await fetch(request);
    if (response.ok && new URL(request.url).pathname.startsWith('/assets/'))
      await cache.put(request, response.clone());
    return response;
  } catch {
    return Response.error();
  }
}
