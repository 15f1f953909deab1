import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/adapters/cache/memory-cache.js';
import { createRateLimiter } from '../../src/adapters/cache/rate-limiter.js';
import { createManualClock } from '../../src/lib/clock.js';

describe('memory cache and rate limiter', () => {
  it('counts within a window and starts over after it', async () => {
    const clock = createManualClock();
    const cache = createMemoryCache(clock);
    expect(await cache.increment('k', 1000)).toEqual({ count: 1, resetInMs: 1000 });
    clock.advance(400);
    expect(await cache.increment('k', 1000)).toEqual({ count: 2, resetInMs: 600 });
    clock.advance(600);
    expect(await cache.increment('k', 1000)).toEqual({ count: 1, resetInMs: 1000 });
    await cache.close();
  });

  it('expires values', async () => {
    const clock = createManualClock();
    const cache = createMemoryCache(clock);
    await cache.set('a', 'b', 100);
    expect(await cache.get('a')).toBe('b');
    clock.advance(100);
    expect(await cache.get('a')).toBeNull();
    await cache.close();
  });

  it('refuses the hit after the limit with a retry hint', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter(createMemoryCache(clock));
    for (let i = 0; i < 3; i++) await limiter.consume('x', 3, 60_000);
    clock.advance(20_000);
    await expect(limiter.consume('x', 3, 60_000)).rejects.toMatchObject({
      code: 'rate_limited',
      details: { retryAfterSeconds: 40 },
    });
    await limiter.consume('y', 3, 60_000);
  });
});
