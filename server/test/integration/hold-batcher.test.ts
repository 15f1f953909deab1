import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHoldBatcher, type THoldRequest } from '../../src/modules/orders/hold-batcher.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import { getTicketType, makeOnSaleEvent, makeTicketType, signIn } from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** take_holds as the orders service calls it, on the test database. */
async function setUp(capacity: number) {
  const sale = await makeOnSaleEvent(ctx, { capacity, maxPerOrder: 10 });
  const buyer = await signIn(ctx);
  const request = (
    items: { ticketTypeId: string; quantity: number }[],
    key: string | null,
  ): THoldRequest => ({
    eventId: sale.event.id,
    userId: buyer.userId,
    totalCents: 0,
    currency: 'EUR',
    expiresAt: new Date(ctx.clock.now().getTime() + 600_000),
    idempotencyKey: key,
    requestHash: 'h',
    attendees: [],
    items: items.map((i) => ({ ...i, unitPriceCents: 2500 })),
  });
  return { ...sale, buyer, request };
}

const pendingOrders = (eventId: string) =>
  ctx.db
    .selectFrom('orders')
    .innerJoin('order_items', 'order_items.order_id', 'orders.id')
    .select(['orders.id', 'order_items.ticket_type_id', 'order_items.quantity'])
    .where('orders.event_id', '=', eventId)
    .execute();

describe('take_holds batches', () => {
  it('serves a batch first come, first served, each order all or nothing', async () => {
    const { event, ticketType, owner, request } = await setUp(5);
    const second = await makeTicketType(ctx, owner, event.id, { capacity: 1, maxPerOrder: 10 });
    const holds = createHoldBatcher(ctx.db, ctx.clock);
    // Concurrent requests of one ticket type set: the first runs alone, the rest go together.
    const [first, ...rest] = await Promise.all([
      holds.take(request([{ ticketTypeId: ticketType.id, quantity: 3 }], 'a')),
      holds.take(request([{ ticketTypeId: ticketType.id, quantity: 3 }], 'b')),
      holds.take(request([{ ticketTypeId: ticketType.id, quantity: 2 }], 'c')),
      holds.take(request([{ ticketTypeId: ticketType.id, quantity: 1 }], 'a')),
    ]);
    expect(first).toMatchObject({ outcome: 'held' });
    expect(rest[0]).toEqual({ outcome: 'sold_out', ticketTypeId: ticketType.id, available: 2 });
    expect(rest[1]).toMatchObject({ outcome: 'held' });
    expect(rest[2]).toEqual({ outcome: 'key_used' });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ held: 5, sold: 0 });

    // An order of two types either gets both or neither.
    const both = await holds.take(
      request(
        [
          { ticketTypeId: second.id, quantity: 1 },
          { ticketTypeId: ticketType.id, quantity: 1 },
        ],
        'd',
      ),
    );
    expect(both).toEqual({ outcome: 'sold_out', ticketTypeId: ticketType.id, available: 0 });
    expect(await getTicketType(ctx, event.id, second.id)).toMatchObject({ held: 0 });
    const rows = await pendingOrders(event.id);
    expect(rows.map((r) => r.quantity).sort()).toEqual([2, 3]);
  });

  it('retries a failed batch one by one, so one bad request fails alone', async () => {
    const { event, ticketType, request } = await setUp(10);
    const holds = createHoldBatcher(ctx.db, ctx.clock);
    const bad = { ...request([{ ticketTypeId: ticketType.id, quantity: 1 }], 'x') };
    bad.userId = '00000000-0000-4000-8000-000000000000'; // no such user: a foreign key violation
    const results = await Promise.allSettled([
      holds.take(request([{ ticketTypeId: ticketType.id, quantity: 1 }], 'p')),
      holds.take(request([{ ticketTypeId: ticketType.id, quantity: 2 }], 'q')),
      holds.take(bad),
      holds.take(request([{ ticketTypeId: ticketType.id, quantity: 3 }], 'r')),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ held: 6 });
    expect(await pendingOrders(event.id)).toHaveLength(3);
  });

  it('serves several ticket types at once while other queries still get through', async () => {
    const { event, ticketType, owner, request } = await setUp(20);
    const other = await makeTicketType(ctx, owner, event.id, { capacity: 20, maxPerOrder: 10 });
    const holds = createHoldBatcher(ctx.db, ctx.clock);
    // Two queues busy at once: one keeps a connection between its batches, the other waits for
    // the pool per batch; a plain read meanwhile is not starved by either.
    const wanted = Array.from({ length: 12 }, (_, i) => ({
      ticketTypeId: i % 2 ? other.id : ticketType.id,
      quantity: 1 + (i % 3),
    }));
    const [outcomes, read] = await Promise.all([
      Promise.all(wanted.map((item, i) => holds.take(request([item], `multi-${i}`)))),
      ctx.db.selectFrom('events').select('id').where('id', '=', event.id).executeTakeFirst(),
    ]);
    expect(read).toEqual({ id: event.id });
    expect(outcomes.every((o) => o.outcome === 'held')).toBe(true);
    const seats = (id: string) =>
      wanted.filter((w) => w.ticketTypeId === id).reduce((n, w) => n + w.quantity, 0);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      held: seats(ticketType.id),
    });
    expect(await getTicketType(ctx, event.id, other.id)).toMatchObject({ held: seats(other.id) });
  });

  it('refuses a ticket type that no longer exists instead of failing the batch', async () => {
    const { event, ticketType, request } = await setUp(10);
    const holds = createHoldBatcher(ctx.db, ctx.clock);
    const gone = '00000000-0000-4000-8000-0000000000aa';
    const [ok, missing] = await Promise.all([
      holds.take(request([{ ticketTypeId: ticketType.id, quantity: 1 }], 'm1')),
      holds.take(request([{ ticketTypeId: gone, quantity: 1 }], 'm2')),
    ]);
    expect(ok).toMatchObject({ outcome: 'held' });
    expect(missing).toEqual({ outcome: 'sold_out', ticketTypeId: gone, available: 0 });
    expect(await pendingOrders(event.id)).toHaveLength(1);
  });
});
