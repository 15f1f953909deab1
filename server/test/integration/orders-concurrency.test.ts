import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, testTarget, type TTestContext } from '../support/test-context.js';
import {
  getTicketType,
  makeOnSaleEvent,
  payOrder,
  signIn,
  uniqueEmail,
  type TSignedIn,
  type TTestOrder,
} from '../support/factories.js';

let ctx: TTestContext;
let buyers: TSignedIn[];
const BUYERS = 240;

beforeAll(async () => {
  ctx = await createTestContext({ env: { OTP_RATE_PER_IP: '100000', OTP_RATE_PER_EMAIL: '100' } });
  buyers = [];
  for (let i = 0; i < BUYERS; i++) buyers.push(await signIn(ctx, uniqueEmail('buyer')));
}, 180_000);
afterAll(() => ctx.close());

/** Every counter must equal what the order rows say, and never exceed capacity. */
async function expectCountersMatchOrders(ticketTypeId: string) {
  const counters = await ctx.db
    .selectFrom('ticket_types')
    .select(['capacity', 'sold', 'held'])
    .where('id', '=', ticketTypeId)
    .executeTakeFirstOrThrow();
  const sums = await sql<{ status: string; seats: number }>`
    SELECT o.status, COALESCE(SUM(i.quantity), 0)::int AS seats
    FROM order_items i JOIN orders o ON o.id = i.order_id
    WHERE i.ticket_type_id = ${ticketTypeId} GROUP BY o.status`.execute(ctx.db);
  const seats = Object.fromEntries(sums.rows.map((r) => [r.status, r.seats]));
  expect(counters.sold).toBe(seats['paid'] ?? 0);
  expect(counters.held).toBe(seats['pending'] ?? 0);
  expect(counters.sold + counters.held).toBeLessThanOrEqual(counters.capacity);
  const tickets = await ctx.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ticket_type_id', '=', ticketTypeId)
    .where('status', '=', 'valid')
    .executeTakeFirstOrThrow();
  expect(Number(tickets.n)).toBe(counters.sold);
  return counters;
}

describe(`flash sale on ${testTarget}: ${BUYERS} concurrent buyers, two API instances`, () => {
  it('sells exactly the capacity; every other buyer gets sold_out', async () => {
    const capacity = 60;
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity, priceCents: 1500 });
    const second = await ctx.startSecondInstance();
    const started = performance.now();
    const results = await Promise.all(
      buyers.map((buyer, i) =>
        (i % 2 === 0 ? ctx.app : second).inject({
          method: 'POST',
          url: '/api/v1/orders',
          headers: { ...buyer.headers, 'idempotency-key': `flash-${i}` },
          payload: { eventId: event.id, items: [{ ticketTypeId: ticketType.id, quantity: 1 }] },
        }),
      ),
    );
    const elapsedMs = performance.now() - started;
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(capacity);
    expect(statuses.filter((s) => s === 409)).toHaveLength(BUYERS - capacity);
    expect(
      results
        .filter((r) => r.statusCode === 409)
        .every((r) => r.json<{ error: string }>().error === 'sold_out'),
    ).toBe(true);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      held: capacity,
      sold: 0,
      available: 0,
    });

    // Everyone who holds pays, concurrently, half through each instance.
    const held = results
      .map((r, i) => ({ r, buyer: buyers[i] as TSignedIn, i }))
      .filter(({ r }) => r.statusCode === 201);
    const paid = await Promise.all(
      held.map(({ r, buyer, i }) =>
        (i % 2 === 0 ? second : ctx.app).inject({
          method: 'POST',
          url: `/api/v1/orders/${r.json<TTestOrder>().id}/pay`,
          headers: buyer.headers,
          payload: { provider: 'test', paymentToken: 'test_ok' },
        }),
      ),
    );
    expect(paid.every((p) => p.statusCode === 200)).toBe(true);
    const counters = await expectCountersMatchOrders(ticketType.id);
    expect(counters).toMatchObject({ sold: capacity, held: 0 });
    console.info(
      `[flash sale ${testTarget}] ${BUYERS} concurrent orders for ${capacity} seats on 2 instances: ${capacity} held, ${BUYERS - capacity} sold_out, 0 errors, in ${elapsedMs.toFixed(0)} ms`,
    );
  });

  it('keeps sold + held <= capacity with mixed quantities, payments, cancellations and expiry at once', async () => {
    const capacity = 100;
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity, priceCents: 900 });
    const second = await ctx.startSecondInstance();
    const results = await Promise.all(
      buyers.map((buyer, i) =>
        (i % 2 === 0 ? ctx.app : second).inject({
          method: 'POST',
          url: '/api/v1/orders',
          headers: buyer.headers,
          payload: {
            eventId: event.id,
            items: [{ ticketTypeId: ticketType.id, quantity: 1 + (i % 4) }],
          },
        }),
      ),
    );
    expect(
      results.every(
        (r) => r.statusCode === 201 || r.json<{ error: string }>().error === 'sold_out',
      ),
    ).toBe(true);
    const created = results
      .map((r, i) => ({ r, buyer: buyers[i] as TSignedIn, i }))
      .filter(({ r }) => r.statusCode === 201);
    const seatsHeld = created.reduce((n, { i }) => n + 1 + (i % 4), 0);
    expect(seatsHeld).toBeLessThanOrEqual(capacity);
    // Nobody was refused while a request of theirs could still fit: after the rush fewer seats
    // remain than the smallest refused request.
    const refusedSizes = results.map((r, i) => (r.statusCode === 409 ? 1 + (i % 4) : Infinity));
    expect(capacity - seatsHeld).toBeLessThan(Math.min(...refusedSizes));

    // A third pay, a third cancel, a third let their hold lapse — while new buyers keep trying.
    await Promise.all(
      created.map(({ r, buyer, i }) => {
        const id = r.json<TTestOrder>().id;
        if (i % 3 === 0) return payOrder(ctx, buyer, id);
        if (i % 3 === 1)
          return ctx.app.inject({
            method: 'POST',
            url: `/api/v1/orders/${id}/cancel`,
            headers: buyer.headers,
          });
        return Promise.resolve();
      }),
    );
    ctx.clock.advance(11 * 60_000);
    await Promise.all([
      ctx.drainJobs(),
      ...buyers.slice(0, 60).map((buyer) =>
        second.inject({
          method: 'POST',
          url: '/api/v1/orders',
          headers: buyer.headers,
          payload: { eventId: event.id, items: [{ ticketTypeId: ticketType.id, quantity: 2 }] },
        }),
      ),
    ]);
    await expectCountersMatchOrders(ticketType.id);
  });
});
