import { EventEmitter } from 'node:events';
import type { TClock } from '../../lib/clock.js';
import type { TCache } from './cache.js';

type TEntry = { value: string; expiresAt: number };

/** The zero-set-up cache: a Map with expiry, swept once a minute. Not shared between processes. */
export function createMemoryCache(clock: TClock): TCache {
  const entries = new Map<string, TEntry>();
  const live = (key: string): TEntry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= clock.now().getTime()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    const now = clock.now().getTime();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, 60_000);
  sweep.unref();
  const channels = new EventEmitter().setMaxListeners(0);

  return {
    kind: 'memory',
    increment(key, windowMs) {
      const now = clock.now().getTime();
      const entry = live(key) ?? { value: '0', expiresAt: now + windowMs };
      entry.value = String(Number(entry.value) + 1);
      entries.set(key, entry);
      return Promise.resolve({ count: Number(entry.value), resetInMs: entry.expiresAt - now });
    },
    get: (key) => Promise.resolve(live(key)?.value ?? null),
    set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: clock.now().getTime() + ttlMs });
      return Promise.resolve();
    },
    delete(key) {
      entries.delete(key);
      return Promise.resolve();
    },
    publish(channel, message) {
      channels.emit(channel, message);
      return Promise.resolve();
    },
    subscribe(channel, handler) {
      channels.on(channel, handler);
    },
    ping: () => Promise.resolve(),
    close() {
      clearInterval(sweep);
      channels.removeAllListeners();
      entries.clear();
      return Promise.resolve();
    },
  };
}
