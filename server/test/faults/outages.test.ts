import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache } from '../../src/adapters/cache/redis-cache.js';
import { createPostgresDatabase, type TDatabase } from '../../src/adapters/database/database.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/deps.js';
import { toHttpError } from '../../src/errors.js';
import { createWorker } from '../../src/jobs.js';
import { createManualClock } from '../../src/lib/clock.js';
import { startTcpProxy, type TTcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase } from '../support/test-context.js';

/**
 * PostgreSQL and Redis failing under a running API: requests answer a clear 503 (never a 500,
 * never a half-written change), sales never oversell, and everything recovers without a restart.
 */
describe('PostgreSQL and Redis outages (through TCP proxies)', () => {
  let pgProxy: TTcpProxy;
  let redisProxy: TTcpProxy;
  let database: TDatabase;
  let dropDatabase: () => Promise<void>;
  let app: Awaited<ReturnType<typeof buildApp>>['app'];
  let services: Awaited<ReturnType<typeof buildApp>>['services'];
  let worker: ReturnType<typeof createWorker>;
  let direct: TDatabase;
  let closeCache: () => Promise<void>;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tin-faults-'));
  const clock = createManualClock(new Date('2030-03-01T09:00:00Z'));
  const token = `fault-${randomBytes(8).toString('hex')}`;
  let eventId = '';
  let ticketTypeId = '';
  const capacity = 40;

  beforeAll(async () => {
    const created = await createTestDatabase();
    dropDatabase = created.drop;
    direct = created.database;
    const url = new URL(created.url ?? '');
    pgProxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(pgProxy.port);
    const redisUrl = new URL(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    redisProxy = await startTcpProxy({
      host: redisUrl.hostname,
      port: Number(redisUrl.port || 6379),
    });

    const config = loadConfig({
      NODE_ENV: 'test',
      APP_SECRET: 'fault-secret-fault-secret-fault-secret-0123',
      DATA_DIR: dataDir,
      PUBLIC_URL: 'http://localhost:3000',
      SERVE_WEB: 'false',
      LOG_LEVEL: 'silent',
      DATABASE_URL: proxied.toString(),
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
    });
    const cache = createRedisCache({
      url: `redis://127.0.0.1:${redisProxy.port}`,
      keyPrefix: `${token}:`,
    });
    closeCache = async () => {
      const keys = await cache.redis.keys(`${token}:*`).catch(() => [] as string[]);
      if (keys.length) await cache.redis.del(...keys.map((k) => k.slice(token.length + 1)));
      await cache.close();
    };
    database = createPostgresDatabase(proxied.toString(), 10);
    const logger = pino({ level: 'silent' });
    const deps = await createDeps(config, logger, { database, cache, clock });
    ({ app, services } = await buildApp(config, deps, logger));
    await app.ready();
    worker = createWorker(config, deps, services, logger);

    // An organizer with an event on sale, made through the services.
    const owner = await services.users.createAdmin(`owner-${token}@example.test`);
    const actor = { userId: owner.id, email: owner.email, isAdmin: true, sessionId: 'faults' };
    const organizer = await services.organizers.createOrganizer(actor, { name: 'Faults' });
    const event = await services.events.createEvent(actor, organizer.id, {
      title: 'Fault Night',
      description: '',
      category: 'music',
      tags: [],
      startsAt: new Date('2030-06-01T19:00:00Z'),
      endsAt: new Date('2030-06-01T23:00:00Z'),
      timezone: 'Europe/Berlin',
      language: 'en',
      ageRating: 'all',
      venue: { name: 'Hall', address: 'Street 1', city: 'Berlin', country: 'DE' },
      onlineUrl: null,
    });
    const type = await services.ticketTypes.createTicketType(actor, event.id, {
      name: 'Standing',
      description: '',
      priceCents: 0,
      currency: 'EUR',
      capacity,
      maxPerOrder: 2,
      salesStartAt: null,
      salesEndAt: null,
      hidden: false,
      sortOrder: 0,
    });
    await services.events.publishEvent(actor, event.id);
    eventId = event.id;
    ticketTypeId = type.id;
  });

  afterAll(async () => {
    pgProxy.restore();
    redisProxy.restore();
    await app.close();
    await closeCache();
    await database.close();
    await pgProxy.close();
    await redisProxy.close();
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function counters() {
    return direct.db
      .selectFrom('ticket_types')
      .select(['sold', 'held', 'capacity'])
      .where('id', '=', ticketTypeId)
      .executeTakeFirstOrThrow();
  }

  it('PostgreSQL going away: /readyz and requests answer 503, and the API recovers by itself', async () => {
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    pgProxy.cut();
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    const list = await app.inject(`/api/v1/events/${eventId}/ticket-types`);
    expect(list.statusCode).toBe(503);
    expect(list.json()).toMatchObject({ error: 'service_unavailable' });
    expect(list.headers['retry-after']).toBe('1');

    pgProxy.restore();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await app.inject('/readyz')).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await app.inject(`/api/v1/events/${eventId}/ticket-types`)).statusCode).toBe(200);
  });

  it('Redis stopping mid-sale: the sell-out crosses the outage without oversell, only 201/409/503 answers, ready again when Redis returns', async () => {
    const users = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        services.users.createAdmin(`sale-${i}-${token}@example.test`),
      ),
    );
    const order = (i: number) =>
      services.orders
        .createOrder(
          { userId: users[i]!.id, email: users[i]!.email, isAdmin: false, sessionId: 'x' },
          { eventId, items: [{ ticketTypeId, quantity: 1 }] },
          `sale-${i}`,
        )
        .then(
          () => 201,
          // The same mapping the HTTP layer applies to anything a service throws.
          (error: unknown) => toHttpError(error).status,
        );

    const firstWave = await Promise.all(Array.from({ length: 30 }, (_, i) => order(i)));
    redisProxy.cut();
    const duringOutage = await Promise.all(Array.from({ length: 20 }, (_, i) => order(30 + i)));
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    redisProxy.restore();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await app.inject('/readyz')).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    const afterwards = await Promise.all(Array.from({ length: 10 }, (_, i) => order(50 + i)));

    const all = [...firstWave, ...duringOutage, ...afterwards];
    // Sold out during the outage, and after it the refusals are still sold_out (409), not errors.
    expect(afterwards.every((s) => s === 409)).toBe(true);
    expect(all.every((s) => [201, 409, 503].includes(s))).toBe(true);
    // The gate falls back to PostgreSQL: the sale goes on while Redis is away.
    expect(duringOutage.filter((s) => s === 201).length).toBeGreaterThan(0);
    const { sold, held } = await counters();
    expect(sold + held).toBeLessThanOrEqual(capacity);
    expect(sold).toBe(all.filter((s) => s === 201).length);
    const paid = await direct.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', eventId)
      .where('status', '=', 'paid')
      .executeTakeFirstOrThrow();
    expect(Number(paid.n)).toBe(sold);
    await worker.drain();
  });
});
