import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache } from '../../src/adapters/cache/redis-cache.js';
import { createSaleGate, GATE_REFRESH_MS } from '../../src/adapters/cache/sale-gate.js';
import { createTestContext, testTarget, type TTestContext } from '../support/test-context.js';
import {
  getTicketType,
  makeOnSaleEvent,
  placeOrder,
  signIn,
  uniqueEmail,
  type TSignedIn,
  type TTestOrder,
} from '../support/factories.js';

let ctx: TTestContext;
let buyers: TSignedIn[];

beforeAll(async () => {
  ctx = await createTestContext();
  buyers = [];
  for (let i = 0; i < 6; i++) buyers.push(await signIn(ctx, uniqueEmail('gate')));
}, 120_000);
afterAll(() => ctx.close());

const buyer = (i: number) => buyers[i] as TSignedIn;

/** Lets the gate's refresh interval pass on both clocks it may use (the test clock and Redis TIME). */
async function passRefreshInterval() {
  ctx.clock.advance(GATE_REFRESH_MS + 100);
  if (ctx.deps.cache.kind === 'redis')
    await new Promise((r) => setTimeout(r, GATE_REFRESH_MS + 100));
}

async function soldOutType(capacity: number) {
  const { event, ticketType, owner } = await makeOnSaleEvent(ctx, { capacity, priceCents: 1000 });
  const order = (i: number, quantity: number, key?: string) =>
    placeOrder(
      ctx,
      buyer(i),
      { eventId: event.id, items: [{ ticketTypeId: ticketType.id, quantity }] },
      key,
    );
  return { event, ticketType, owner, order };
}

describe(`sale gate on ${testTarget} (${process.env['TEST_REDIS_URL'] && testTarget === 'postgres' ? 'Redis' : 'in-process'})`, () => {
  it('answers sold_out from the gate, without reading the counters, until the refresh interval', async () => {
    const { event, ticketType, order } = await soldOutType(2);
    expect((await order(0, 2)).statusCode).toBe(201);
    const refused = await order(1, 1);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'sold_out' });

    // Seats appear behind the application's back (no release through the orders module). A
    // database round trip would now hold them; the gate still refuses, so it did not ask.
    await ctx.db
      .updateTable('ticket_types')
      .set({ capacity: 3 })
      .where('id', '=', ticketType.id)
      .execute();
    const fromGate = await order(1, 1);
    expect(fromGate.statusCode).toBe(409);
    expect(fromGate.json()).toMatchObject({
      error: 'sold_out',
      details: { ticketTypeId: ticketType.id, available: 0 },
    });

    // After the refresh interval one request re-checks the database and gets the seat.
    await passRefreshInterval();
    expect((await order(1, 1)).statusCode).toBe(201);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      held: 3,
      available: 0,
    });
  });

  it('never refuses a request the seats left could serve', async () => {
    const { order } = await soldOutType(5);
    expect((await order(0, 4)).statusCode).toBe(201);
    expect((await order(1, 2)).statusCode).toBe(409);
    // One seat is left: the gate knows it and lets a one-seat request through to the database.
    expect((await order(2, 1)).statusCode).toBe(201);
    expect((await order(3, 1)).statusCode).toBe(409);
  });

  it('opens at once when a hold is cancelled', async () => {
    const { order } = await soldOutType(2);
    const first = await order(0, 2);
    expect((await order(1, 2)).statusCode).toBe(409);
    const cancelled = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${first.json<TTestOrder>().id}/cancel`,
      headers: buyer(0).headers,
    });
    expect(cancelled.statusCode).toBe(200);
    // No waiting for the refresh interval: the release reopened the gate.
    expect((await order(1, 2)).statusCode).toBe(201);
  });

  it('opens at once when holds expire, for every buyer, not only the one re-checking', async () => {
    const { order } = await soldOutType(4);
    expect((await order(0, 2)).statusCode).toBe(201);
    expect((await order(1, 2)).statusCode).toBe(201);
    expect((await order(2, 1)).statusCode).toBe(409);
    ctx.clock.advance(ctx.config.holdTtlMs + 1_000);
    await ctx.drainJobs();
    // Two requests in a row: a stale gate would let only the first (its refresh) through.
    expect((await order(2, 2)).statusCode).toBe(201);
    expect((await order(3, 2)).statusCode).toBe(201);
    expect((await order(4, 1)).statusCode).toBe(409);
  });

  it('returns the order for a replayed Idempotency-Key after the sell-out, never sold_out', async () => {
    const { order, ticketType } = await soldOutType(3);
    const first = await order(0, 3, 'gate-replay-1');
    expect(first.statusCode).toBe(201);
    expect((await order(1, 1, 'other-key')).statusCode).toBe(409);
    const replay = await order(0, 3, 'gate-replay-1');
    expect(replay.statusCode).toBe(200);
    expect(replay.json<TTestOrder>().id).toBe(first.json<TTestOrder>().id);

    // If the gate's memory of keys is lost, it asks the database again (and re-seeds from it).
    const gate = createSaleGate(ctx.deps.cache, ctx.clock);
    await gate.forgetMarkers(ticketType.id);
    const afterLoss = await order(0, 3, 'gate-replay-1');
    expect(afterLoss.statusCode).toBe(200);
    expect(afterLoss.json<TTestOrder>().id).toBe(first.json<TTestOrder>().id);
    expect((await order(2, 1, 'fresh-key')).statusCode).toBe(409);
    const again = await order(0, 3, 'gate-replay-1');
    expect(again.statusCode).toBe(200);
    // A fresh key of a buyer who never ordered is refused by the gate.
    expect((await order(3, 1, 'never-used')).json()).toMatchObject({ error: 'sold_out' });
  });

  it('does not answer for another event that names the same ticket type', async () => {
    const { ticketType, order } = await soldOutType(1);
    expect((await order(0, 1)).statusCode).toBe(201);
    expect((await order(1, 1)).statusCode).toBe(409);
    const other = await makeOnSaleEvent(ctx, { capacity: 5 });
    const res = await placeOrder(ctx, buyer(1), {
      eventId: other.event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
    });
    expect(res.json()).toMatchObject({ error: 'invalid_ticket_type' });
  });

  it('falls back to the database when Redis cannot be reached', async () => {
    const unreachable = createRedisCache({ url: 'redis://127.0.0.1:1', keyPrefix: 'gate-down:' });
    const gate = createSaleGate(unreachable, ctx.clock);
    const scope = { eventId: crypto.randomUUID(), ticketTypeId: crypto.randomUUID() };
    expect(await gate.admit(scope, 1, 'm')).toEqual({ verdict: 'ask_database', version: null });
    expect(await gate.close(scope, 0, 0)).toBe(false);
    expect(await gate.admit(scope, 1, null)).toEqual({ verdict: 'ask_database', version: null });
    await unreachable.close();
  });
});
