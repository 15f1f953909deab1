import { AppError } from '../../errors.js';
import type { TCache } from './cache.js';

export type TRateLimiter = {
  /** Counts one hit on `key`; throws `rate_limited` (with Retry-After) once `limit` is passed. */
  consume(key: string, limit: number, windowMs: number): Promise<void>;
};

/** Fixed-window limits on the cache port, so they are shared across instances when Redis is used. */
export function createRateLimiter(cache: TCache): TRateLimiter {
  return {
    async consume(key, limit, windowMs) {
      const { count, resetInMs } = await cache.increment(`rl:${key}`, windowMs);
      if (count > limit) {
        throw new AppError('rate_limited', {
          retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)),
        });
      }
    },
  };
}
