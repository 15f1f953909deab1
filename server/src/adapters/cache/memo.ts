import type { TClock } from '../../lib/clock.js';

/**
 * A small in-process memo for hot reads: values live `ttlMs`, concurrent misses for one key share
 * a single load (so a cache expiry under load costs one query, not one per request), and `clear`
 * drops everything when the underlying data changes. Being per process, another instance sees a
 * change at the latest `ttlMs` later — the bound the caller promises.
 *
 * Two options keep requests from waiting for reloads of a key in steady use:
 * - `refreshAfterMs` (< `ttlMs`): from this age on, a request still gets the remembered value and
 *   starts a reload in the background, so the value is replaced before it expires. The `ttlMs`
 *   bound holds as long as reloads finish within `ttlMs - refreshAfterMs`.
 * - `staleMs`: while a reload is under way (a busy database) or after it failed, a value up to
 *   `ttlMs + staleMs` old is served instead of making every request wait for, or fail with, the
 *   reload. The first request after expiry with no reload under way still waits for a fresh
 *   value, so a key read only now and then is never served old.
 */
export type TMemo<T> = {
  get(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
};

type TEntry<T> = {
  value: Promise<T>;
  /** When the load of `value` started: the value is at least this fresh. */
  loadedAt: number;
  isReady: boolean;
  reload: Promise<T> | null;
};

export function createMemo<T>(
  clock: TClock,
  options: { ttlMs: number; maxEntries: number; refreshAfterMs?: number; staleMs?: number },
): TMemo<T> {
  const { ttlMs, maxEntries, refreshAfterMs = ttlMs, staleMs = 0 } = options;
  // clear() empties the map, so a load that started before a change never lands in it afterwards.
  const entries = new Map<string, TEntry<T>>();

  function startLoad(key: string, load: () => Promise<T>, previous: TEntry<T> | undefined) {
    const value = load();
    const entry: TEntry<T> = {
      value,
      loadedAt: clock.now().getTime(),
      isReady: false,
      reload: null,
    };
    if (previous) previous.reload = value;
    else {
      if (entries.size >= maxEntries) entries.clear();
      entries.set(key, entry);
    }
    value.then(
      () => {
        entry.isReady = true;
        // A reload replaces the entry it refreshed, unless clear() or another load came between.
        if (previous && entries.get(key) === previous) entries.set(key, entry);
      },
      () => {
        if (previous) previous.reload = null;
        else if (entries.get(key) === entry) entries.delete(key); // a failed load is not kept
      },
    );
    return value;
  }

  return {
    get(key, load) {
      const now = clock.now().getTime();
      const hit = entries.get(key);
      if (!hit) return startLoad(key, load, undefined);
      const age = now - hit.loadedAt;
      if (age < ttlMs) {
        if (age >= refreshAfterMs && hit.isReady && !hit.reload) void startLoad(key, load, hit);
        return hit.value;
      }
      const canServeStale = hit.isReady && age < ttlMs + staleMs;
      if (canServeStale && hit.reload) return hit.value;
      if (!hit.isReady) {
        // Expired before its first load finished: start over.
        entries.delete(key);
        return startLoad(key, load, undefined);
      }
      const reload = hit.reload ?? startLoad(key, load, hit);
      return canServeStale ? reload.catch(() => hit.value) : reload;
    },
    clear() {
      entries.clear();
    },
  };
}
