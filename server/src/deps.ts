import type { FastifyBaseLogger } from 'fastify';
import { ConfigError, type TConfig } from './config.js';
import { createDatabase, type TDatabase } from './adapters/database/database.js';
import type { TCache } from './adapters/cache/cache.js';
import { createMemoryCache } from './adapters/cache/memory-cache.js';
import { createRedisCache } from './adapters/cache/redis-cache.js';
import { createRateLimiter, type TRateLimiter } from './adapters/cache/rate-limiter.js';
import { createLocalStorage, type TLocalStorage } from './adapters/storage/local-storage.js';
import type { TStorage } from './adapters/storage/storage.js';
import type { TActivityStore } from './adapters/activity/activity-store.js';
import { createDatabaseActivityStore } from './adapters/activity/database-activity-store.js';
import { createDynamoDbActivityStore } from './adapters/activity/dynamodb-activity-store.js';
import type { TMailer } from './adapters/mail/mailer.js';
import { createSnsMailer } from './adapters/mail/sns-mailer.js';
import { createS3Storage } from './adapters/storage/s3-storage.js';
import {
  createLocalWorkflows,
  createStepFunctionsWorkflows,
  type TWorkflows,
} from './adapters/workflows/workflows.js';
import { createDevMailbox } from './adapters/mail/dev-mailbox.js';
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
  activityStore: TActivityStore;
  workflows: TWorkflows;
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
  const storage =
    config.storage.driver === 's3'
      ? createS3Storage({
          bucket: config.storage.bucket,
          region: config.awsRegion,
          endpoint: config.storage.endpoint,
          forcePathStyle: config.storage.forcePathStyle,
          prefix: config.storage.prefix,
          clock,
          ...(config.storage.credentials ? { credentials: config.storage.credentials } : {}),
        })
      : localStorage;
  const mailer =
    config.mail.driver === 'smtp'
      ? // nodemailer is loaded only where SMTP is configured.
        (await import('./adapters/mail/smtp-mailer.js')).createSmtpMailer({
          url: config.mail.url,
          from: config.mailFrom,
        })
      : config.mail.driver === 'sns'
        ? createSnsMailer({ topicArn: config.mail.topicArn, region: config.awsRegion })
        : createDevMailbox(database.db, storage, logger);
  const activityStore =
    config.activity.driver === 'dynamodb'
      ? createDynamoDbActivityStore({
          table: config.activity.table,
          region: config.awsRegion,
          endpoint: config.activity.endpoint,
          retentionMs: config.activity.retentionMs,
          clock,
        })
      : createDatabaseActivityStore(database.db);
  const workflows =
    config.workflows.driver === 'stepfunctions'
      ? createStepFunctionsWorkflows({
          subscribeStateMachineArn: config.workflows.subscribeStateMachineArn,
          region: config.awsRegion,
        })
      : createLocalWorkflows(database.db, clock);
  return {
    database,
    cache,
    rateLimiter: createRateLimiter(cache),
    storage,
    localStorage: storage.kind === 'local' ? localStorage : null,
    mailer,
    activityStore,
    workflows,
    clock,
    random,
  };
}

/**
 * Checks at start-up that the configured outside services answer, and names the variable to
 * fix when one does not (a wrong bucket, endpoint, table or credentials).
 */
export async function verifyDeps(config: TConfig, deps: TDeps): Promise<void> {
  const checks: [string, () => Promise<void>][] = [];
  if (config.storage.driver === 's3') {
    const { bucket, endpoint } = config.storage;
    checks.push([
      `S3_BUCKET: cannot reach bucket "${bucket}"${endpoint ? ` at S3_ENDPOINT ${endpoint}` : ''} (check the bucket, endpoint, region and credentials)`,
      () => deps.storage.ping(),
    ]);
  }
  if (config.activity.driver === 'dynamodb') {
    const { table, endpoint } = config.activity;
    checks.push([
      `DYNAMODB_ACTIVITY_TABLE: cannot reach table "${table}"${endpoint ? ` at DYNAMODB_ENDPOINT ${endpoint}` : ''} (check the table, endpoint, region and credentials)`,
      () => deps.activityStore.ping(),
    ]);
  }
  const problems: string[] = [];
  for (const [problem, check] of checks) {
    try {
      await check();
    } catch (error) {
      problems.push(`${problem}: ${error instanceof Error ? error.name : 'error'}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
}

export async function closeDeps(deps: TDeps): Promise<void> {
  await Promise.allSettled([deps.mailer.close(), deps.cache.close()]);
  await deps.database.close();
}
