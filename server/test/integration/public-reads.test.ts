import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZEvent } from '../../src/modules/events/events.schema.js';
import { PUBLIC_READ_TTL_MS } from '../../src/modules/events/events.service.js';
import { createTestContext, testTarget, type TTestContext } from '../support/test-context.js';
import {
  makeEvent,
  makeOnSaleEvent,
  makeTicketType,
  placeOrder,
  signIn,
  type TTestTicketType,
} from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

type TTypeList = { items: (TTestTicketType & { name: string; isOnSale: boolean })[] };

const listTypes = (eventId: string, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'GET', url: `/api/v1/events/${eventId}/ticket-types`, headers });
const visitorTypes = async (eventId: string) => (await listTypes(eventId)).json<TTypeList>().items;

describe(`visitors' ticket-type lists are shared briefly on ${testTarget}`, () => {
  it('show a change that bypasses this instance at most PUBLIC_READ_TTL_MS late', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 10 });
    expect(await visitorTypes(event.id)).toMatchObject([{ sold: 0, available: 10 }]);
    await ctx.db
      .updateTable('ticket_types')
      .set({ sold: 4 })
      .where('id', '=', ticketType.id)
      .execute();
    expect(await visitorTypes(event.id)).toMatchObject([{ sold: 0, available: 10 }]);
    ctx.clock.advance(PUBLIC_READ_TTL_MS + 1);
    expect(await visitorTypes(event.id)).toMatchObject([{ sold: 4, available: 6 }]);
  });

  it('show writes through this instance at once: orders, ticket-type edits, event cancellation', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 10 });
    expect(await visitorTypes(event.id)).toMatchObject([{ held: 0, isOnSale: true }]);

    const buyer = await signIn(ctx);
    const order = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 3 }],
    });
    expect(order.statusCode).toBe(201);
    expect(await visitorTypes(event.id)).toMatchObject([{ held: 3, available: 7 }]);

    const renamed = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/ticket-types/${ticketType.id}`,
      headers: owner.headers,
      payload: { name: 'Standing' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(await visitorTypes(event.id)).toMatchObject([{ name: 'Standing' }]);

    const added = await makeTicketType(ctx, owner, event.id, { name: 'Balcony', sortOrder: 1 });
    expect((await visitorTypes(event.id)).map((t) => t.id)).toEqual([ticketType.id, added.id]);

    const cancelled = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${event.id}/cancel`,
      headers: owner.headers,
    });
    expect(cancelled.statusCode).toBe(200);
    expect((await visitorTypes(event.id)).map((t) => t.isOnSale)).toEqual([false, false]);
  });

  it('never share the team view (hidden types) with visitors, nor the reverse', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx);
    const crew = await makeTicketType(ctx, owner, event.id, { name: 'Crew', hidden: true });
    const asTeam = async () =>
      (await listTypes(event.id, owner.headers)).json<TTypeList>().items.map((t) => t.id);

    expect(await asTeam()).toEqual([ticketType.id, crew.id]);
    expect((await visitorTypes(event.id)).map((t) => t.id)).toEqual([ticketType.id]);
    expect(await asTeam()).toEqual([ticketType.id, crew.id]);
    const stranger = await signIn(ctx);
    const asStranger = await listTypes(event.id, stranger.headers);
    expect(asStranger.json<TTypeList>().items.map((t) => t.id)).toEqual([ticketType.id]);
  });

  it("show a draft's types to nobody but its team, and at once when it is published", async () => {
    const { owner, organizer } = await makeOnSaleEvent(ctx);
    const draft = await makeEvent(ctx, owner, organizer.id);
    await makeTicketType(ctx, owner, draft.id);
    expect((await listTypes(draft.id, owner.headers)).statusCode).toBe(200);
    expect((await listTypes(draft.id)).statusCode).toBe(404);
    const published = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${draft.id}/publish`,
      headers: owner.headers,
    });
    expect(published.statusCode).toBe(200);
    expect(await visitorTypes(draft.id)).toHaveLength(1);
  });
});

describe(`public reads carry an ETag on ${testTarget}`, () => {
  it('answers a matching If-None-Match with an empty 304, and a changed page with a new tag', async () => {
    const { owner, event } = await makeOnSaleEvent(ctx);
    for (const url of [
      `/api/v1/events/${event.slug}`,
      `/api/v1/events/${event.id}/ticket-types`,
      `/api/v1/events?limit=5`,
    ]) {
      const first = await ctx.app.inject({ method: 'GET', url });
      expect(first.statusCode).toBe(200);
      const etag = String(first.headers['etag']);
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await ctx.app.inject({ method: 'GET', url });
      expect(again.body).toBe(first.body);
      expect(again.headers['etag']).toBe(etag);

      const unchanged = await ctx.app.inject({
        method: 'GET',
        url,
        headers: { 'if-none-match': `"other", W/${etag}` },
      });
      expect(unchanged.statusCode).toBe(304);
      expect(unchanged.body).toBe('');
      expect(unchanged.headers['etag']).toBe(etag);
      const otherTag = await ctx.app.inject({
        method: 'GET',
        url,
        headers: { 'if-none-match': '"other"' },
      });
      expect(otherTag.statusCode).toBe(200);
      expect(otherTag.body).toBe(first.body);
    }

    const page = `/api/v1/events/${event.slug}`;
    const before = await ctx.app.inject({ method: 'GET', url: page });
    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/events/${event.id}`,
      headers: owner.headers,
      payload: { title: 'A New Title' },
    });
    expect(patched.statusCode).toBe(200);
    const after = await ctx.app.inject({
      method: 'GET',
      url: page,
      headers: { 'if-none-match': String(before.headers['etag']) },
    });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ title: 'A New Title' });
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
  });

  it('sends exactly the bytes the response schema makes of the result, as JSON', async () => {
    const { event } = await makeOnSaleEvent(ctx);
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/events/${event.id}` });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
    const shared = await ctx.services.events.getEvent(null, event.id);
    expect(res.body).toBe(JSON.stringify(z.encode(ZEvent, shared)));
  });
});
