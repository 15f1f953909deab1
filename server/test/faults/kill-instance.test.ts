import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDatabase } from '../../src/adapters/database/database.js';
import { sha256Hex } from '../../src/lib/hashing.js';
import { createTestDatabase } from '../support/test-context.js';

const serverDir = path.resolve(import.meta.dirname, '../..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/**
 * Two real API processes sharing PostgreSQL and Redis; one is killed with SIGKILL in the middle of
 * a sale. Nothing paid may be lost, and the dead instance's holds must expire and return to sale
 * through the surviving instance.
 */
describe('kill -9 of an API instance in the middle of a sale', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tin-kill-'));
  const prefix = `tin-kill-${randomBytes(4).toString('hex')}:`;
  const capacity = 60;
  let database: TDatabase;
  let drop: () => Promise<void>;
  let url = '';
  const processes: ChildProcess[] = [];
  const ports: number[] = [];

  async function startInstance(): Promise<{ child: ChildProcess; base: string }> {
    const port = await freePort();
    ports.push(port);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: serverDir,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        APP_SECRET: 'kill-secret-kill-secret-kill-secret-0123456',
        DATABASE_URL: url,
        REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: prefix,
        HOLD_TTL: '3s',
        // A payment in flight on the killed instance keeps its seats for this long, then they return.
        PAYMENT_LEASE: '5s',
        SERVE_WEB: 'false',
        SEED_DEMO: 'false',
        LOG_LEVEL: 'error',
        WORKER_POLL_INTERVAL: '200ms',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    processes.push(child);
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ready = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return { child, base };
      if (Date.now() > deadline) throw new Error(`instance on ${port} did not start`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Signed-in users as a verified sign-in leaves them: a user row and a session (token hash). */
  async function makeUsers(count: number) {
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const user = await database.db
          .insertInto('users')
          .values({ email: `kill-${i}-${prefix.slice(9, 17)}@example.test` })
          .returning('id')
          .executeTakeFirstOrThrow();
        const token = randomBytes(32).toString('base64url');
        await database.db
          .insertInto('sessions')
          .values({
            user_id: user.id,
            token_hash: sha256Hex(token),
            expires_at: new Date(Date.now() + 86_400_000),
          })
          .execute();
        return { userId: user.id, token };
      }),
    );
  }

  beforeAll(async () => {
    const created = await createTestDatabase();
    database = created.database;
    drop = created.drop;
    url = created.url ?? '';
  });
  afterAll(async () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    const redis = new Redis(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no paid order, and the dead instance’s holds return to sale', async () => {
    const [a, b] = await Promise.all([startInstance(), startInstance()]);
    const [owner, ...buyers] = await makeUsers(121);
    const call = async (
      base: string,
      token: string,
      method: string,
      url: string,
      body?: unknown,
    ) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return {
        status: res.status,
        json: (await res.json().catch(() => null)) as Record<string, unknown> | null,
      };
    };

    const organizer = await call(a.base, owner!.token, 'POST', '/api/v1/organizers', {
      name: 'Kill',
    });
    const organizerId = String(organizer.json?.['id']);
    const event = await call(
      a.base,
      owner!.token,
      'POST',
      `/api/v1/organizers/${organizerId}/events`,
      {
        title: 'Kill Night',
        category: 'music',
        startsAt: '2031-06-01T19:00:00Z',
        endsAt: '2031-06-01T23:00:00Z',
        timezone: 'Europe/Berlin',
        venue: { name: 'Hall', address: 'Street 1', city: 'Berlin', country: 'DE' },
      },
    );
    expect(event.status).toBe(201);
    const eventId = String(event.json?.['id']);
    const type = await call(
      a.base,
      owner!.token,
      'POST',
      `/api/v1/events/${eventId}/ticket-types`,
      {
        name: 'Standing',
        priceCents: 2500,
        currency: 'EUR',
        capacity,
        maxPerOrder: 2,
      },
    );
    expect(type.status).toBe(201);
    const ticketTypeId = String(type.json?.['id']);
    expect(
      (await call(a.base, owner!.token, 'POST', `/api/v1/events/${eventId}/publish`)).status,
    ).toBe(200);

    // 120 buyers, half through each instance, each holding then paying; B dies mid-way.
    const outcomes = await Promise.all(
      buyers
        .map(async (buyer, i) => {
          const base = i % 2 === 0 ? a.base : b.base;
          await new Promise((r) => setTimeout(r, i * 15));
          try {
            const order = await call(base, buyer.token, 'POST', '/api/v1/orders', {
              eventId,
              items: [{ ticketTypeId, quantity: 1 + (i % 2) }],
            });
            if (order.status !== 201)
              return { i, orderStatus: order.status, payStatus: null, orderId: null };
            const orderId = String(order.json?.['id']);
            const pay = await call(base, buyer.token, 'POST', `/api/v1/orders/${orderId}/pay`, {
              provider: 'test',
              paymentToken: 'test_ok',
            });
            return { i, orderStatus: 201, payStatus: pay.status, orderId };
          } catch {
            // The connection to the killed instance broke: the client does not know the outcome.
            return { i, orderStatus: null, payStatus: null, orderId: null };
          }
        })
        .concat(
          // SIGKILL B once about a third of the buyers have started.
          [
            new Promise((r) => setTimeout(r, 600)).then(() => {
              b.child.kill('SIGKILL');
              return null;
            }),
          ] as never[],
        ),
    );
    const results = outcomes.filter(Boolean) as {
      i: number;
      orderStatus: number | null;
      payStatus: number | null;
      orderId: string | null;
    }[];
    expect(b.child.killed).toBe(true);

    // Every payment that was answered 200 is paid, with its tickets.
    const confirmed = results.filter((r) => r.payStatus === 200).map((r) => r.orderId ?? '');
    expect(confirmed.length).toBeGreaterThan(0);
    const paidRows = await database.db
      .selectFrom('orders')
      .select(['id', 'status'])
      .where('id', 'in', confirmed)
      .execute();
    expect(paidRows.filter((o) => o.status === 'paid')).toHaveLength(confirmed.length);

    // The dead instance's holds expire through the survivor; the counters agree with the orders.
    const deadline = Date.now() + 30_000;
    let counters = { sold: -1, held: -1 };
    for (;;) {
      counters = await database.db
        .selectFrom('ticket_types')
        .select(['sold', 'held'])
        .where('id', '=', ticketTypeId)
        .executeTakeFirstOrThrow();
      if (counters.held === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(counters.held).toBe(0);
    const seats = await database.db
      .selectFrom('order_items')
      .innerJoin('orders', 'orders.id', 'order_items.order_id')
      .select((eb) => eb.fn.sum<number>('order_items.quantity').as('n'))
      .where('orders.event_id', '=', eventId)
      .where('orders.status', '=', 'paid')
      .executeTakeFirstOrThrow();
    expect(counters.sold).toBe(Number(seats.n ?? 0));
    expect(counters.sold).toBeLessThanOrEqual(capacity);
    const tickets = await database.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', eventId)
      .where('status', '=', 'valid')
      .executeTakeFirstOrThrow();
    expect(Number(tickets.n)).toBe(counters.sold);
    const stuck = await database.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', eventId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(Number(stuck.n)).toBe(0);
    console.info(
      `[kill -9] ${results.filter((r) => r.orderStatus === null).length} requests cut by the kill; ${confirmed.length} paid answers, all paid; sold ${counters.sold}/${capacity}, held 0 after expiry`,
    );
  });
});
