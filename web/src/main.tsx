import { startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, loadFirstPageData } from './app';
import { earlyDataSettled } from './lib/early-data';
import { prepareDateFormatting } from './lib/event-time';
import { registerServiceWorker } from './scanner/register-service-worker';
import './styles.css';

// The page's data first, then what its first render needs while the answer travels; the first
// render waits for the answer (at most a second) so the page appears once, complete.
loadFirstPageData(window.location);
prepareDateFormatting();

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
void earlyDataSettled(1_000).then(() => {
  // As a transition, the first render yields to the browser every few milliseconds instead of
  // holding the main thread (a slow phone stays responsive while the app starts).
  startTransition(() => {
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  });
});
registerServiceWorker();
