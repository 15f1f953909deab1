import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  buyTickets,
  getTicketType,
  makeEvent,
  makeOnSaleEvent,
  makeOrganizer,
  makeTicketType,
  placeOrder,
  signIn,
} from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

type TErr = { error: string; details?: { issues?: { path: string[] }[] } };

describe('ticket types', () => {
  it('are created by the team and listed with live availability', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, {
      capacity: 5,
      priceCents: 1999,
      currency: 'eur',
    });
    expect(ticketType).toMatchObject({
      capacity: 5,
      available: 5,
      held: 0,
      sold: 0,
      currency: 'EUR',
      priceCents: 1999,
      isOnSale: true,
    });
    const buyer = await signIn(ctx);
    await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
    });
    await buyTickets(ctx, buyer, event.id, ticketType.id, 1);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      available: 2,
      held: 2,
      sold: 1,
    });
    const hidden = await makeTicketType(ctx, owner, event.id, { name: 'Crew', hidden: true });
    const publicList = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/events/${event.id}/ticket-types`,
    });
    expect(publicList.json<{ items: { id: string }[] }>().items.map((t) => t.id)).toEqual([
      ticketType.id,
    ]);
    const teamList = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/events/${event.id}/ticket-types`,
      headers: owner.headers,
    });
    expect(teamList.json<{ items: { id: string }[] }>().items.map((t) => t.id)).toContain(
      hidden.id,
    );
  });

  it('validate their input', async () => {
    const { owner, event } = await makeOnSaleEvent(ctx);
    const post = (payload: object) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/v1/events/${event.id}/ticket-types`,
        headers: owner.headers,
        payload,
      });
    const base = { name: 'A', priceCents: 100, currency: 'EUR', capacity: 10 };
    const cases: [object, string][] = [
      [{ ...base, priceCents: 12.5 }, 'priceCents'],
      [{ ...base, priceCents: -1 }, 'priceCents'],
      [{ ...base, currency: 'EURO' }, 'currency'],
      [{ ...base, capacity: 0 }, 'capacity'],
      [{ ...base, maxPerOrder: 0 }, 'maxPerOrder'],
      [
        { ...base, salesStartAt: '2030-05-02T00:00:00Z', salesEndAt: '2030-05-01T00:00:00Z' },
        'salesEndAt',
      ],
      [{ ...base, extra: true }, ''],
    ];
    for (const [payload, path] of cases) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect((res.json<TErr>().details?.issues ?? []).map((i) => i.path.join('.'))).toContain(path);
    }
  });

  it('refuse a capacity below what is sold and held, and deleting a type with orders', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 10 });
    const buyer = await signIn(ctx);
    await buyTickets(ctx, buyer, event.id, ticketType.id, 3);
    await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
    });
    const patch = (payload: object) =>
      ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/ticket-types/${ticketType.id}`,
        headers: owner.headers,
        payload,
      });
    const tooSmall = await patch({ capacity: 4 });
    expect(tooSmall.statusCode).toBe(409);
    expect(tooSmall.json()).toMatchObject({
      error: 'capacity_below_sold',
      details: { sold: 3, held: 2 },
    });
    expect((await patch({ capacity: 5 })).json()).toMatchObject({ capacity: 5, available: 0 });
    expect((await patch({ currency: 'USD' })).json()).toMatchObject({ error: 'currency_locked' });
    expect((await patch({ priceCents: 3000, name: 'Regular' })).json()).toMatchObject({
      priceCents: 3000,
      name: 'Regular',
    });
    const del = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/ticket-types/${ticketType.id}`,
      headers: owner.headers,
    });
    expect(del.json()).toMatchObject({ error: 'ticket_type_has_sales' });
    const unused = await makeTicketType(ctx, owner, event.id, { name: 'Unused' });
    expect(
      (
        await ctx.app.inject({
          method: 'DELETE',
          url: `/api/v1/ticket-types/${unused.id}`,
          headers: owner.headers,
        })
      ).statusCode,
    ).toBe(204);
  });

  it('belong to the organizer: staff and strangers cannot change them', async () => {
    const owner = await signIn(ctx);
    const organizer = await makeOrganizer(ctx, owner);
    const event = await makeEvent(ctx, owner, organizer.id);
    const type = await makeTicketType(ctx, owner, event.id);
    const staff = await addMember(ctx, owner, organizer.id, 'staff');
    const stranger = await signIn(ctx);
    const payload = { name: 'X', priceCents: 0, currency: 'EUR', capacity: 1 };
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/api/v1/events/${event.id}/ticket-types`,
          headers: staff.headers,
          payload,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/api/v1/events/${event.id}/ticket-types`,
          headers: stranger.headers,
          payload,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await ctx.app.inject({
          method: 'PATCH',
          url: `/api/v1/ticket-types/${type.id}`,
          headers: stranger.headers,
          payload: { capacity: 1 },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await ctx.app.inject({
          method: 'DELETE',
          url: `/api/v1/ticket-types/${type.id}`,
          headers: stranger.headers,
        })
      ).statusCode,
    ).toBe(404);
    // The draft event's ticket types are not public either.
    expect(
      (await ctx.app.inject({ method: 'GET', url: `/api/v1/events/${event.id}/ticket-types` }))
        .statusCode,
    ).toBe(404);
  });
});
