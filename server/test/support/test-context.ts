import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pino from 'pino';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig, type TConfig } from '../../src/config.js';
import { createDeps, type TDeps } from '../../src/deps.js';
import {
  createEmbeddedDatabase,
  createPostgresDatabase,
  type TDatabase,
} from '../../src/adapters/database/database.js';
import type { TCache } from '../../src/adapters/cache/cache.js';
import { createMemoryCache } from '../../src/adapters/cache/memory-cache.js';
import { createRedisCache } from '../../src/adapters/cache/redis-cache.js';
import { createManualClock } from '../../src/lib/clock.js';
import { databaseUrlFor } from './postgres-url.js';
import { createWorker } from '../../src/jobs.js';

export type TTestTarget = 'pglite' | 'postgres';
export const testTarget = (process.env['TEST_TARGET'] ?? 'pglite') as TTestTarget;

/**
 * A fresh database for one test file: a copy of the migrated PGlite template, or a PostgreSQL
 * database cloned from the migrated template. `drop` removes it again.
 */
export async function createTestDatabase(): Promise<{
  database: TDatabase;
  /** The connection string of a PostgreSQL test database (null on PGlite). */
  url: string | null;
  /** Another connection pool to the same database, as a second API instance would have. */
  connectAgain: () => TDatabase;
  drop: () => Promise<void>;
}> {
  if (testTarget === 'postgres') {
    const adminUrl = process.env['TEST_DATABASE_URL'] ?? '';
    const name = `tin_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = createPostgresDatabase(adminUrl, 1);
    await sql
      .raw(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplateDb')}`)
      .execute(admin.db);
    const url = databaseUrlFor(adminUrl, name);
    const database = createPostgresDatabase(url, 20);
    return {
      database,
      url,
      connectAgain: () => createPostgresDatabase(url, 20),
      drop: async () => {
        await database.close();
        await sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).execute(admin.db);
        await admin.close();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tin-pglite-'));
  cpSync(inject('pgliteTemplateDir'), dir, { recursive: true });
  const database = await createEmbeddedDatabase(dir);
  return {
    database,
    url: null,
    // PGlite is one in-process database: a second "instance" shares it (and must not close it).
    connectAgain: () => ({ ...database, close: () => Promise.resolve() }),
    drop: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Redis under a key prefix of its own when TEST_REDIS_URL is set (postgres project), else in-process. */
export function createTestCache(clock: { now(): Date }): {
  cache: TCache;
  cleanup: () => Promise<void>;
} {
  const url = process.env['TEST_REDIS_URL'];
  if (testTarget === 'postgres' && url) {
    const keyPrefix = `tin_test:${process.pid}:${randomBytes(4).toString('hex')}:`;
    const cache = createRedisCache({ url, keyPrefix });
    return {
      cache,
      cleanup: async () => {
        const keys = await cache.redis.keys(`${keyPrefix}*`);
        // KEYS returns full names; DEL through the same client would add the prefix again.
        if (keys.length) await cache.redis.del(...keys.map((k) => k.slice(keyPrefix.length)));
      },
    };
  }
  return { cache: createMemoryCache(clock), cleanup: () => Promise.resolve() };
}

export type TTestContext = Awaited<ReturnType<typeof createTestContext>>;

/**
 * The app exactly as `serve` builds it, on a fresh database, a manual clock and a silent logger.
 * Requests go through `app.inject`, so routes, hooks and the error handler all run.
 */
export async function createTestContext(options: { env?: Record<string, string> } = {}) {
  const clock = createManualClock(new Date('2030-03-01T09:00:00Z'));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tin-data-'));
  const { database, url: databaseUrl, connectAgain, drop } = await createTestDatabase();
  const { cache, cleanup } = createTestCache(clock);
  const config: TConfig = loadConfig({
    NODE_ENV: 'test',
    APP_SECRET: 'test-secret-test-secret-test-secret-0123',
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3000',
    SERVE_WEB: 'false',
    LOG_LEVEL: 'silent',
    OTP_RATE_PER_IP: '1000',
    OTP_RATE_PER_EMAIL: '50',
    ...options.env,
  });
  const logger = pino({ level: 'silent' });
  const deps: TDeps = await createDeps(config, logger, { database, cache, clock });
  const { app, services } = await buildApp(config, deps, logger);
  await app.ready();
  // The worker is not started: tests run due jobs and sweeps when they choose, with `drainJobs`.
  const worker = createWorker(config, deps, services, logger);
  const extraInstances: { close: () => Promise<void> }[] = [];

  return {
    app: app,
    services: services,
    deps,
    db: database.db,
    databaseUrl,
    config,
    clock,
    worker,
    logger,
    cache,
    /** Runs every due job and sweep until none is left (what the background worker would do). */
    drainJobs: () => worker.drain(),
    /**
     * A second API instance on the same database (its own connection pool on PostgreSQL) and
     * the same cache, as behind a load balancer. Closed with the context.
     */
    async startSecondInstance() {
      const secondDb = connectAgain();
      const secondDeps = await createDeps(config, logger, { database: secondDb, cache, clock });
      const second = await buildApp(config, secondDeps, logger);
      await second.app.ready();
      extraInstances.push({
        close: async () => {
          await second.app.close();
          await secondDb.close();
        },
      });
      return second.app;
    },
    async close() {
      for (const instance of extraInstances) await instance.close();
      await app.close();
      await cleanup();
      await cache.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
