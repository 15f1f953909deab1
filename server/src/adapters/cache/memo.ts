import type { TClock } from '../../lib/clock.js';

/**
 * A small in-process memo for hot public reads: values live `ttlMs`, concurrent misses for one
 * key share a single load (so a cache expiry under load costs one query, not one per request),
 * and `clear` drops everything when the underlying data changes. Being per process, another
 * instance sees a change at the latest `ttlMs` later — the bound the caller promises.
 */
export type TMemo<T> = {
  get(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
};

export function createMemo<T>(
  clock: TClock,
  options: { ttlMs: number; maxEntries: number },
): TMemo<T> {
  // clear() empties the map, so a load that started before a change never lands in it afterwards.
  const entries = new Map<string, { value: Promise<T>; expiresAt: number }>();
  return {
    get(key, load) {
      const now = clock.now().getTime();
      const hit = entries.get(key);
      if (hit && hit.expiresAt > now) return hit.value;
      if (entries.size >= options.maxEntries) entries.clear();
      const value = load();
      const entry = { value, expiresAt: now + options.ttlMs };
      entries.set(key, entry);
      // A failed load is not remembered.
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    clear() {
      entries.clear();
    },
  };
}
