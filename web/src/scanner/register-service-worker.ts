/**
 * Registers the service worker (`public/sw.js`) that keeps the app shell and built assets on the
 * device, so the scanner opens with no network. Only production builds register it: in
 * development it would serve stale modules to the dev server.
 */
export function registerServiceWorker() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
      console.warn(
        'The service worker could not be registered; offline use is unavailable.',
        error,
      );
    });
  };
  // After the page's own loading, so installing never competes with the first render.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
