import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  buyTickets,
  getTicketType,
  makeOnSaleEvent,
  payOrder,
  placeOrder,
  signIn,
  uniqueEmail,
  type TTestOrder,
} from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const join = (ticketTypeId: string, email: string) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/ticket-types/${ticketTypeId}/waitlist`,
    payload: { email },
  });

async function claimLinkFor(email: string): Promise<string> {
  const mail = await ctx.db
    .selectFrom('dev_mail')
    .select('text_body')
    .where('to_address', '=', email)
    .where('subject', 'like', 'A ticket is free for you%')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const token = /token=([A-Za-z0-9_%-]+)/.exec(mail.text_body)?.[1];
  if (!token) throw new Error('no claim link');
  return decodeURIComponent(token);
}

describe('waiting list', () => {
  it('is only for sold-out ticket types and joining twice is harmless', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 1 });
    const early = await join(ticketType.id, uniqueEmail());
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'tickets_available' });
    await buyTickets(ctx, await signIn(ctx), event.id, ticketType.id, 1);
    const email = uniqueEmail('waiter');
    expect((await join(ticketType.id, email)).json()).toEqual({ status: 'waiting', position: 1 });
    expect((await join(ticketType.id, email.toUpperCase())).json()).toEqual({
      status: 'waiting',
      position: 1,
    });
    expect((await join(ticketType.id, uniqueEmail())).json()).toEqual({
      status: 'waiting',
      position: 2,
    });
    expect((await join(ticketType.id, 'not-an-email')).statusCode).toBe(400);
    expect((await join('00000000-0000-4000-8000-000000000000', email)).statusCode).toBe(404);
    await ctx.drainJobs();
    const mail = await ctx.db
      .selectFrom('dev_mail')
      .select('subject')
      .where('to_address', '=', email)
      .execute();
    expect(mail).toEqual([{ subject: `You are on the waiting list: ${event.title}` }]);
  });

  it('offers released seats first in line, keeps them for the invited person, and lets them claim and pay', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 2 });
    const buyer = await signIn(ctx);
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 2);
    const first = await signIn(ctx, uniqueEmail('first'));
    const second = await signIn(ctx, uniqueEmail('second'));
    const third = uniqueEmail('third');
    for (const email of [first.email, second.email, third]) await join(ticketType.id, email);

    // A refund frees two seats: the first two in line get them, nobody else can buy them.
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/cancel`,
      headers: buyer.headers,
    });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      sold: 0,
      held: 2,
      available: 0,
    });
    const walkIn = await placeOrder(ctx, await signIn(ctx), {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
    });
    expect(walkIn.json()).toMatchObject({ error: 'sold_out' });
    await ctx.drainJobs();

    const token = await claimLinkFor(first.email);
    await claimLinkFor(second.email);
    expect(
      await ctx.db
        .selectFrom('dev_mail')
        .select('id')
        .where('to_address', '=', third)
        .where('subject', 'like', 'A ticket is free%')
        .execute(),
    ).toHaveLength(0);

    const claim = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/waitlist/claim',
      headers: first.headers,
      payload: { token },
    });
    expect(claim.statusCode).toBe(201);
    const claimed = claim.json<TTestOrder>();
    expect(claimed).toMatchObject({ status: 'pending', totalCents: 2500 });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      held: 2,
      available: 0,
    });
    expect((await payOrder(ctx, first, claimed.id)).json()).toMatchObject({ status: 'paid' });
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/waitlist/claim',
      headers: first.headers,
      payload: { token },
    });
    expect(again.json()).toMatchObject({ error: 'offer_not_available' });
    const forged = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/waitlist/claim',
      headers: first.headers,
      payload: { token: `${token.slice(0, -2)}xx` },
    });
    expect(forged.json()).toMatchObject({ error: 'offer_not_available' });
  });

  it('passes a lapsed offer to the next in line', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 1 });
    const buyer = await signIn(ctx);
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 1);
    const [slow, next] = [uniqueEmail('slow'), uniqueEmail('next')];
    await join(ticketType.id, slow);
    await join(ticketType.id, next);
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/cancel`,
      headers: buyer.headers,
    });
    await ctx.drainJobs();
    const slowToken = await claimLinkFor(slow);
    ctx.clock.advance(24 * 3_600_000 + 1);
    await ctx.drainJobs();
    const nextToken = await claimLinkFor(next);
    expect(nextToken).not.toBe(slowToken);
    const late = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/waitlist/claim',
      headers: (await signIn(ctx, slow)).headers,
      payload: { token: slowToken },
    });
    expect(late.json()).toMatchObject({ error: 'offer_not_available' });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ held: 1, sold: 0 });
    // The last offer lapses with nobody waiting: the seat goes back on sale.
    ctx.clock.advance(24 * 3_600_000 + 1);
    await ctx.drainJobs();
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      held: 0,
      available: 1,
    });
  });
});
