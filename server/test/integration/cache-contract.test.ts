import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { TCache } from '../../src/adapters/cache/cache.js';
import { createMemoryCache } from '../../src/adapters/cache/memory-cache.js';
import { createRedisCache } from '../../src/adapters/cache/redis-cache.js';
import { createRateLimiter } from '../../src/adapters/cache/rate-limiter.js';
import { systemClock } from '../../src/lib/clock.js';
import { testTarget } from '../support/test-context.js';

const redisUrl = testTarget === 'postgres' ? process.env['TEST_REDIS_URL'] : undefined;
const prefix = `tin_test:${process.pid}:${randomBytes(4).toString('hex')}:`;
const opened: TCache[] = [];
const open = (make: () => TCache) => {
  const cache = make();
  opened.push(cache);
  return cache;
};
afterAll(async () => {
  const redis = opened.find((c): c is ReturnType<typeof createRedisCache> => c.kind === 'redis');
  if (redis) {
    const keys = await redis.redis.keys(`${prefix}*`);
    if (keys.length) await redis.redis.del(...keys.map((k) => k.slice(prefix.length)));
  }
  await Promise.all(opened.map((c) => c.close()));
});

const implementations: [string, () => TCache][] = [
  ['memory', () => createMemoryCache(systemClock)],
];
if (redisUrl)
  implementations.push(['redis', () => createRedisCache({ url: redisUrl, keyPrefix: prefix })]);

describe.each(implementations)('cache contract: %s', (_name, make) => {
  it('increments a windowed counter', async () => {
    const cache = open(make);
    const key = `c:${randomBytes(4).toString('hex')}`;
    const first = await cache.increment(key, 60_000);
    const second = await cache.increment(key, 60_000);
    expect([first.count, second.count]).toEqual([1, 2]);
    expect(second.resetInMs).toBeGreaterThan(55_000);
    expect(second.resetInMs).toBeLessThanOrEqual(60_000);
  });

  it('stores, expires and deletes values', async () => {
    const cache = open(make);
    await cache.set('v1', 'hello', 60_000);
    expect(await cache.get('v1')).toBe('hello');
    await cache.delete('v1');
    expect(await cache.get('v1')).toBeNull();
    await cache.set('v2', 'short', 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await cache.get('v2')).toBeNull();
    await expect(cache.ping()).resolves.toBeUndefined();
  });

  it('counts exactly under concurrency', async () => {
    const cache = open(make);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cache.increment('burst', 60_000)),
    );
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it('delivers published messages to every subscriber of the channel, the publisher included', async () => {
    const cache = open(make);
    const heard: string[] = [];
    const channel = `ch:${randomBytes(4).toString('hex')}`;
    const both = new Promise<void>((resolve) => {
      const hear = (who: string) => (message: string | null) => {
        heard.push(`${who}:${message}`);
        if (heard.length === 2) resolve();
      };
      cache.subscribe(channel, hear('a'));
      cache.subscribe(channel, hear('b'));
      cache.subscribe(`${channel}-other`, hear('other'));
    });
    // A Redis subscription is confirmed asynchronously; publish until it has been heard.
    const publishing = setInterval(() => void cache.publish(channel, 'hello'), 20);
    await both;
    clearInterval(publishing);
    expect(heard.slice(0, 2).sort()).toEqual(['a:hello', 'b:hello']);
    expect(heard.some((h) => h.startsWith('other'))).toBe(false);
  });
});

// Only meaningful with a shared Redis: the in-process cache is per instance by design.
if (redisUrl) {
  describe('rate limits on Redis', () => {
    it('are shared by every API instance', async () => {
      const instanceA = createRateLimiter(
        open(() => createRedisCache({ url: redisUrl ?? '', keyPrefix: prefix })),
      );
      const instanceB = createRateLimiter(
        open(() => createRedisCache({ url: redisUrl ?? '', keyPrefix: prefix })),
      );
      await instanceA.consume('shared', 3, 60_000);
      await instanceB.consume('shared', 3, 60_000);
      await instanceA.consume('shared', 3, 60_000);
      await expect(instanceB.consume('shared', 3, 60_000)).rejects.toMatchObject({
        code: 'rate_limited',
      });
    });
  });

  describe('pub/sub on Redis', () => {
    it('reaches other instances with the same prefix only', async () => {
      const url = redisUrl ?? '';
      const sender = open(() => createRedisCache({ url, keyPrefix: prefix }));
      const sibling = open(() => createRedisCache({ url, keyPrefix: prefix }));
      const stranger = open(() => createRedisCache({ url, keyPrefix: `${prefix}x:` }));
      const heardByStranger: (string | null)[] = [];
      stranger.subscribe('news', (m) => heardByStranger.push(m));
      const heard = new Promise<string | null>((resolve) => sibling.subscribe('news', resolve));
      const publishing = setInterval(() => void sender.publish('news', 'hi'), 20);
      expect(await heard).toBe('hi');
      clearInterval(publishing);
      expect(heardByStranger).toEqual([]);
    });
  });
}
