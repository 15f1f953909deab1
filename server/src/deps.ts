import type { FastifyBaseLogger } from 'fastify';
import type { TConfig } from './config.js';
import { createDatabase, type TDatabase } from './adapters/database/database.js';
import type { TCache } from './adapters/cache/cache.js';
import { createMemoryCache } from './adapters/cache/memory-cache.js';
import { createRedisCache } from './adapters/cache/redis-cache.js';
import { createRateLimiter, type TRateLimiter } from './adapters/cache/rate-limiter.js';
import { createLocalStorage, type TLocalStorage } from './adapters/storage/local-storage.js';
import type { TStorage } from './adapters/storage/storage.js';
import type { TMailer } from './adapters/mail/mailer.js';
import { createDevMailbox } from './adapters/mail/dev-mailbox.js';
import { createSmtpMailer } from './adapters/mail/smtp-mailer.js';
import { systemClock, type TClock } from './lib/clock.js';
import { cryptoRandom, type TRandom } from './lib/random.js';

/** Every outside dependency, each chosen once from config. Services receive only what they use. */
export type TDeps = {
  database: TDatabase;
  cache: TCache;
  rateLimiter: TRateLimiter;
  storage: TStorage;
  /** Set when files are served by this API (local storage); absent for S3. */
  localStorage: TLocalStorage | null;
  mailer: TMailer;
  clock: TClock;
  random: TRandom;
};

export async function createDeps(
  config: TConfig,
  logger: FastifyBaseLogger,
  overrides: Partial<Pick<TDeps, 'database' | 'cache' | 'clock' | 'random'>> = {},
): Promise<TDeps> {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;
  const database = overrides.database ?? (await createDatabase(config.database));
  const cache =
    overrides.cache ?? (config.redis ? createRedisCache(config.redis) : createMemoryCache(clock));
  const localStorage = createLocalStorage({
    dir: config.storage.dir,
    publicUrl: config.publicUrl,
    secret: config.appSecret,
    clock,
  });
  const mailer =
    config.mail.driver === 'smtp'
      ? createSmtpMailer({ url: config.mail.url, from: config.mailFrom })
      : createDevMailbox(database.db, localStorage, logger);
  return {
    database,
    cache,
    rateLimiter: createRateLimiter(cache),
    storage: localStorage,
    localStorage,
    mailer,
    clock,
    random,
  };
}

export async function closeDeps(deps: TDeps): Promise<void> {
  await Promise.allSettled([deps.mailer.close(), deps.cache.close()]);
  await deps.database.close();
}
