import { Redis } from 'ioredis';
import type { TCache } from './cache.js';

/** The shared cache on Redis; every key carries `keyPrefix` so deployments and test runs never collide. */
export function createRedisCache(options: {
  url: string;
  keyPrefix: string;
}): TCache & { redis: Redis } {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    // Commands fail fast while Redis is down instead of piling up; callers decide what to do.
    maxRetriesPerRequest: 1,
    // A Redis that accepts connections but never answers (a half-dead proxy, a failover) must not
    // hang requests: every command gives up after this, and callers fall back or answer 503.
    commandTimeout: 1_000,
    enableOfflineQueue: true,
    lazyConnect: false,
    // Commands issued in the same tick (a burst of sale-gate checks and session reads) go out as
    // one write and come back as one read: fewer system calls and wake-ups on a busy host.
    enableAutoPipelining: true,
  });
  // Connection errors surface through failed commands and /readyz; do not crash on the event.
  redis.on('error', () => undefined);

  // Pub/sub needs a connection of its own, opened on the first subscription. Channel names are
  // not keys, so the prefix is added here.
  const handlers = new Map<string, ((message: string | null) => void)[]>();
  let subscriber: Redis | null = null;
  const subscriberConnection = () => {
    if (subscriber) return subscriber;
    const connection = redis.duplicate({ keyPrefix: '', enableAutoPipelining: false });
    connection.on('error', () => undefined);
    connection.on('message', (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) handler(message);
    });
    let isFirstReady = true;
    connection.on('ready', () => {
      // ioredis re-subscribes after a reconnect; whatever was published meanwhile is lost.
      if (!isFirstReady) for (const list of handlers.values()) for (const h of list) h(null);
      isFirstReady = false;
    });
    subscriber = connection;
    return connection;
  };

  return {
    kind: 'redis',
    redis,
    async increment(key, windowMs) {
      // One round trip: INCR, start the window only on the first hit (NX), read what is left.
      const results = await redis.multi().incr(key).pexpire(key, windowMs, 'NX').pttl(key).exec();
      if (!results) throw new Error('Redis transaction aborted');
      const [incr, , pttl] = results;
      if (incr?.[0]) throw incr[0];
      const ttl = Number(pttl?.[1] ?? windowMs);
      return { count: Number(incr?.[1]), resetInMs: ttl > 0 ? ttl : windowMs };
    },
    get: (key) => redis.get(key),
    async set(key, value, ttlMs) {
      await redis.set(key, value, 'PX', ttlMs);
    },
    async delete(key) {
      await redis.del(key);
    },
    async publish(channel, message) {
      await redis.publish(`${options.keyPrefix}${channel}`, message);
    },
    subscribe(channel, handler) {
      const name = `${options.keyPrefix}${channel}`;
      const list = handlers.get(name) ?? [];
      handlers.set(name, [...list, handler]);
      if (!list.length)
        void subscriberConnection()
          .subscribe(name)
          .catch(() => undefined);
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await subscriber?.quit().catch(() => subscriber?.disconnect());
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
