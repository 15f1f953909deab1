import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TDatabase } from '../../src/adapters/database/database.js';
import { toHttpError } from '../../src/errors.js';
import { systemClock } from '../../src/lib/clock.js';
import { createHoldBatcher } from '../../src/modules/orders/hold-batcher.js';

const url = process.env['TEST_DATABASE_URL'] ?? '';

/**
 * A busy pool is a queue, an unreachable database an outage: requests wait their turn for a
 * connection longer than it may take to open one, and only the outage fails fast.
 */
describe('the PostgreSQL pool (PostgreSQL)', () => {
  let database: TDatabase | undefined;
  afterAll(async () => {
    await database?.close();
  });

  it('queues a query behind a busy connection for longer than the connect limit', async () => {
    database = createPostgresDatabase(url, 1, { connectTimeoutMs: 200, poolWaitMs: 5_000 });
    const busy = sql`SELECT pg_sleep(0.8)`.execute(database.db);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const { rows } = await sql<{ n: number }>`SELECT 1 AS n`.execute(database.db);
    expect(rows).toEqual([{ n: 1 }]);
    expect(Date.now() - started).toBeGreaterThan(500);
    await busy;
    await database.close();
    database = undefined;
  });

  it('answers 503 once a query has waited the whole pool limit', async () => {
    database = createPostgresDatabase(url, 1, { connectTimeoutMs: 200, poolWaitMs: 400 });
    const busy = sql`SELECT pg_sleep(1)`.execute(database.db);
    await new Promise((r) => setTimeout(r, 50));
    const error = await sql`SELECT 1`.execute(database.db).catch((e: unknown) => e);
    expect(toHttpError(error)).toMatchObject({
      status: 503,
      body: { error: 'service_unavailable' },
    });
    await busy;
    await database.close();
    database = undefined;
  });

  describe('a server that accepts connections and never answers', () => {
    const silent = net.createServer(() => undefined);
    beforeAll(async () => {
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => {
      silent.close();
    });

    it('fails after the connect limit, not the pool wait, with a 503', async () => {
      const port = (silent.address() as net.AddressInfo).port;
      database = createPostgresDatabase(`postgres://postgres@127.0.0.1:${port}/test`, 2, {
        connectTimeoutMs: 300,
        poolWaitMs: 20_000,
      });
      const started = Date.now();
      const error = await sql`SELECT 1`.execute(database.db).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(5_000);
      expect(toHttpError(error)).toMatchObject({ status: 503 });
      await database.close();
      database = undefined;
    });

    it('fails every hold waiting for a batch when the batcher cannot get a connection', async () => {
      const port = (silent.address() as net.AddressInfo).port;
      database = createPostgresDatabase(`postgres://postgres@127.0.0.1:${port}/test`, 2, {
        connectTimeoutMs: 300,
        poolWaitMs: 20_000,
      });
      const holds = createHoldBatcher(database.db, systemClock);
      const request = (key: string) => ({
        eventId: randomUUID(),
        userId: randomUUID(),
        totalCents: 0,
        currency: 'EUR',
        expiresAt: new Date(Date.now() + 60_000),
        idempotencyKey: key,
        requestHash: 'h',
        attendees: [],
        items: [{ ticketTypeId: randomUUID(), quantity: 1, unitPriceCents: 0 }],
      });
      // The second request queues behind the first for the same ticket type: both must be
      // answered (with the outage), neither left waiting.
      const first = request('a');
      const second = { ...request('b'), items: first.items };
      const errors = await Promise.all(
        [holds.take(first), holds.take(second)].map((p) => p.catch((e: unknown) => e)),
      );
      for (const error of errors) expect(toHttpError(error)).toMatchObject({ status: 503 });
    });
  });
});
