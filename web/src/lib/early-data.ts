/**
 * The first page's data, requested as the app starts (main.tsx) instead of after React's first
 * render: on a slow phone the request travels while the app's code is still starting. The first
 * render waits for it (at most a second, see `earlyDataSettled`), so visitors see the page once,
 * complete, rather than a loading state and then a second render of everything.
 */
type TSettled = { data: unknown } | { error: unknown };
type TEntry = { promise: Promise<unknown>; at: number; settled?: TSettled };

const early = new Map<string, TEntry>();

/** An early answer is only used for the first render of the page it was requested for. */
const EARLY_FOR_MS = 10_000;

/** Starts `load` now; the first `useApiData(key, …)` takes its answer instead of asking again. */
export function loadEarly(key: string, load: () => Promise<unknown>): void {
  const entry: TEntry = { promise: load(), at: Date.now() };
  // If no page takes it (the visitor moved on), its failure is nobody's error.
  entry.promise.then(
    (data: unknown) => void (entry.settled = { data }),
    (error: unknown) => void (entry.settled = { error }),
  );
  early.set(key, entry);
}

/** Resolves once every early request has its answer, or after `maxMs`, whichever comes first. */
export function earlyDataSettled(maxMs: number): Promise<void> {
  const all = Promise.allSettled([...early.values()].map((e) => e.promise));
  return Promise.race([all.then(() => undefined), new Promise<void>((r) => setTimeout(r, maxMs))]);
}

function takeFresh(key: string): TEntry | undefined {
  const entry = early.get(key);
  early.delete(key);
  return entry && Date.now() - entry.at < EARLY_FOR_MS ? entry : undefined;
}

/** The early answer for `key` if it has arrived (taken once), for a page's first render. */
export function takeSettledEarly(key: string): TSettled | undefined {
  if (!early.get(key)?.settled) return undefined;
  return takeFresh(key)?.settled;
}

/** The early request for `key` still on its way (taken once, only while fresh). */
export function takeEarly(key: string): Promise<unknown> | undefined {
  return takeFresh(key)?.promise;
}
