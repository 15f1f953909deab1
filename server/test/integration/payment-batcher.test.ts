import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobRows } from '../../src/adapters/jobs/job-queue.js';
import { serverActivityRow } from '../../src/modules/activity/activity.service.js';
import {
  createOrdersRepository,
  type TPaymentWrites,
} from '../../src/modules/orders/orders.repository.js';
import { createPaymentBatcher } from '../../src/modules/orders/payment-batcher.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  getTicketType,
  makeOnSaleEvent,
  placeOrder,
  signIn,
  type TTestOrder,
} from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** The orders repository, with the size of every `payPending` and claim call it is asked for. */
function countingRepo() {
  const repo = createOrdersRepository();
  const calls: number[] = [];
  const claimCalls: number[] = [];
  return {
    calls,
    claimCalls,
    repo: {
      ...repo,
      payPending: (...args: Parameters<typeof repo.payPending>) => {
        calls.push(args[1].length);
        return repo.payPending(...args);
      },
      claimForPayment: (...args: Parameters<typeof repo.claimForPayment>) => {
        claimCalls.push(args[1].length);
        return repo.claimForPayment(...args);
      },
    },
  };
}

/** `count` held orders of 2 seats each, and the writes that pay one. */
async function setUp(count: number) {
  const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 20 });
  const orders: (TTestOrder & { buyerId: string })[] = [];
  for (let i = 0; i < count; i++) {
    const buyer = await signIn(ctx);
    const held = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
    });
    orders.push({ ...held.json<TTestOrder>(), buyerId: buyer.userId });
  }
  const writes = (orderId: string, ticketTypeId = ticketType.id): TPaymentWrites => ({
    orderId,
    now: ctx.clock.now(),
    payment: { payment_provider: 'test', payment_reference: `test_ch_${orderId}` },
    tickets: [0, 1].map((seat) => ({
      id: randomUUID(),
      order_id: orderId,
      event_id: event.id,
      ticket_type_id: ticketTypeId,
      seat,
      code: `code-${orderId}-${seat}`,
      attendee_name: 'A',
      attendee_email: 'a@example.test',
    })),
    activity: serverActivityRow({
      type: 'ticket_purchase',
      eventId: event.id,
      userId: null,
      at: ctx.clock.now(),
      metadata: { orderId, tickets: 2 },
    }),
    jobs: jobRows(ctx.clock, [{ kind: 'test.noop', dedupeKey: `paid:${orderId}`, payload: {} }]),
    seatMoves: [{ ticket_type_id: ticketTypeId, held_change: -2, sold_change: 2 }],
  });
  const statuses = async () =>
    Object.fromEntries(
      (
        await ctx.db
          .selectFrom('orders')
          .select(['id', 'status'])
          .where('event_id', '=', event.id)
          .execute()
      ).map((o) => [o.id, o.status]),
    );
  const rowsOf = async (orderId: string) => ({
    tickets: (
      await ctx.db.selectFrom('tickets').select('seat').where('order_id', '=', orderId).execute()
    ).length,
    jobs: (
      await ctx.db
        .selectFrom('jobs')
        .select('id')
        .where('dedupe_key', '=', `paid:${orderId}`)
        .execute()
    ).length,
    activity: (
      await ctx.db
        .selectFrom('activity')
        .select('id')
        .where('event_id', '=', event.id)
        .where((eb) => eb(eb.ref('metadata', '->>').key('orderId'), '=', orderId))
        .execute()
    ).length,
  });
  return { event, ticketType, orders, writes, statuses, rowsOf };
}

describe('payment batches', () => {
  it("claims concurrent orders in one statement: only the buyer's first claim of an order gets it", async () => {
    const { orders } = await setUp(2);
    const [x, y] = orders as [TTestOrder & { buyerId: string }, TTestOrder & { buyerId: string }];
    const stranger = await signIn(ctx);
    const { repo, claimCalls } = countingRepo();
    const batcher = createPaymentBatcher(ctx.db, repo);
    const claim = (orderId: string, buyerId: string) =>
      batcher.claim({
        orderId,
        buyerId,
        now: ctx.clock.now(),
        payingUntil: new Date(ctx.clock.now().getTime() + 60_000),
      });
    // The first goes at once; the other four go together, the stranger's claim first.
    const results = await Promise.all([
      claim(y.id, y.buyerId),
      claim(x.id, stranger.userId),
      claim(x.id, x.buyerId),
      claim(x.id, x.buyerId),
      claim(y.id, y.buyerId),
    ]);
    expect(claimCalls).toEqual([1, 4]);
    expect(results.map((r) => r?.order.id ?? null)).toEqual([y.id, null, x.id, null, null]);
    expect(results[2]).toMatchObject({
      order: { status: 'pending', user_id: x.buyerId },
      items: [{ order_id: x.id, quantity: 2 }],
      buyer: { email: expect.any(String) as string },
    });
    const leases = await ctx.db
      .selectFrom('orders')
      .select(['id', 'paying_until'])
      .where('id', 'in', [x.id, y.id])
      .execute();
    expect(leases.every((o) => o.paying_until !== null)).toBe(true);
  });

  it('pays concurrent orders in one statement; an order no longer pending gets nothing written', async () => {
    const { event, ticketType, orders, writes, statuses, rowsOf } = await setUp(4);
    const [a, b, c, lapsed] = orders.map((o) => o.id) as [string, string, string, string];
    await ctx.db
      .updateTable('orders')
      .set({ status: 'expired' })
      .where('id', '=', lapsed)
      .execute();
    const { repo, calls } = countingRepo();
    const batcher = createPaymentBatcher(ctx.db, repo);

    // The first goes at once; the three arriving while it runs go together in the next batch.
    const results = await Promise.all([a, b, c, lapsed].map((id) => batcher.pay(writes(id))));
    expect(calls).toEqual([1, 3]);
    expect(results.map((tickets) => tickets.length)).toEqual([2, 2, 2, 0]);
    expect(results[1]?.every((t) => t.order_id === b && t.status === 'valid')).toBe(true);
    expect(await statuses()).toEqual({
      [a]: 'paid',
      [b]: 'paid',
      [c]: 'paid',
      [lapsed]: 'expired',
    });
    for (const id of [a, b, c])
      expect(await rowsOf(id)).toEqual({ tickets: 2, jobs: 1, activity: 1 });
    expect(await rowsOf(lapsed)).toEqual({ tickets: 0, jobs: 0, activity: 0 });
    // Three holds became sales at the commit; the lapsed one's seats are still counted as held
    // (the expiry sweep, not a payment, gives them back).
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ sold: 6, held: 2 });
  });

  it('lets only the first of two payments of one order in a batch pay it', async () => {
    const { event, ticketType, orders, writes, statuses, rowsOf } = await setUp(2);
    const [a, b] = orders.map((o) => o.id) as [string, string];
    const { repo, calls } = countingRepo();
    const batcher = createPaymentBatcher(ctx.db, repo);
    // A payment whose lease ran out while a second claim of the order succeeded: both complete.
    const results = await Promise.all([
      batcher.pay(writes(b)),
      batcher.pay(writes(a)),
      batcher.pay(writes(a)),
    ]);
    expect(calls).toEqual([1, 2]);
    expect(results.map((tickets) => tickets.length)).toEqual([2, 2, 0]);
    expect(await statuses()).toEqual({ [a]: 'paid', [b]: 'paid' });
    expect(await rowsOf(a)).toEqual({ tickets: 2, jobs: 1, activity: 1 });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ sold: 4, held: 0 });
  });

  it('retries a failed batch one by one, so one bad payment fails alone', async () => {
    const { event, ticketType, orders, writes, statuses, rowsOf } = await setUp(3);
    const [a, b, bad] = orders.map((o) => o.id) as [string, string, string];
    const { repo, calls } = countingRepo();
    const batcher = createPaymentBatcher(ctx.db, repo);
    // A ticket of a type that does not exist: a foreign key violation fails its whole statement.
    const results = await Promise.allSettled([
      batcher.pay(writes(a)),
      batcher.pay(writes(b)),
      batcher.pay(writes(bad, randomUUID())),
    ]);
    expect(calls).toEqual([1, 2, 1, 1]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(await statuses()).toEqual({ [a]: 'paid', [b]: 'paid', [bad]: 'pending' });
    expect(await rowsOf(bad)).toEqual({ tickets: 0, jobs: 0, activity: 0 });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ sold: 4, held: 2 });
  });
});
