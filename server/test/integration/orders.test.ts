import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  buyTickets,
  getTicketType,
  makeEvent,
  makeOnSaleEvent,
  makeTicketType,
  payOrder,
  placeOrder,
  signIn,
  type TTestOrder,
} from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const HOLD_TTL = 10 * 60_000;
type TErr = { error: string; details?: Record<string, unknown> };

describe('placing an order', () => {
  it('holds the tickets as a pending order with a 10-minute hold', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 10, priceCents: 2500 });
    const buyer = await signIn(ctx);
    const res = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 3 }],
    });
    expect(res.statusCode).toBe(201);
    const order = res.json<TTestOrder & { items: unknown[]; currency: string }>();
    expect(order).toMatchObject({
      status: 'pending',
      totalCents: 7500,
      currency: 'EUR',
      items: [{ ticketTypeId: ticketType.id, quantity: 3, unitPriceCents: 2500 }],
      tickets: [],
      expiresAt: new Date(ctx.clock.now().getTime() + HOLD_TTL).toISOString(),
    });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      available: 7,
      held: 3,
      sold: 0,
    });
  });

  it('pays with the test card: paid, one ticket per seat, confirmation e-mail with the PDF', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 10 });
    const buyer = await signIn(ctx);
    const created = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
      attendees: [{ name: 'Ada Lovelace', email: 'ADA@example.test' }],
    });
    const paid = await payOrder(ctx, buyer, created.json<TTestOrder>().id);
    expect(paid.statusCode).toBe(200);
    const order = paid.json<TTestOrder>();
    expect(order.status).toBe('paid');
    expect(order.tickets).toHaveLength(2);
    expect(order.tickets.map((t) => [t.attendeeName, t.attendeeEmail])).toEqual([
      ['Ada Lovelace', 'ada@example.test'],
      // The buyer never set a name: the ticket is named by the address, not left blank.
      [buyer.email, buyer.email],
    ]);
    expect(order.tickets.every((t) => t.status === 'valid' && t.code.startsWith('TIN1.'))).toBe(
      true,
    );
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      available: 8,
      held: 0,
      sold: 2,
    });

    await ctx.drainJobs();
    const mail = await ctx.db
      .selectFrom('dev_mail')
      .selectAll()
      .where('to_address', '=', buyer.email)
      .where('subject', 'like', 'Your tickets:%')
      .execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]?.attachments).toEqual([
      expect.objectContaining({ contentType: 'application/pdf' }),
    ]);
    expect(mail[0]?.html_body).toContain('Show my tickets');
    expect(mail[0]?.text_body).toContain(order.id);
    // The dev mailbox offers the attachment for download, as a mail client would.
    const inbox = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/dev/mailbox?to=${encodeURIComponent(buyer.email)}`,
    });
    const attachment = inbox
      .json<{ subject: string; attachments: { url: string; filename: string }[] }[]>()
      .find((m) => m.subject.startsWith('Your tickets'))?.attachments[0];
    expect(attachment?.filename).toMatch(/^tickets-.*\.pdf$/);
    const pdf = await ctx.app.inject({
      method: 'GET',
      url: (attachment?.url ?? '').replace(ctx.config.publicUrl, ''),
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Retrying the jobs sends nothing twice.
    await ctx.drainJobs();
    expect(
      await ctx.db
        .selectFrom('dev_mail')
        .select('id')
        .where('to_address', '=', buyer.email)
        .where('subject', 'like', 'Your tickets:%')
        .execute(),
    ).toHaveLength(1);
  });

  it('makes a zero-total order paid at once', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { priceCents: 0, capacity: 3 });
    const buyer = await signIn(ctx);
    const res = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
    });
    expect(res.json()).toMatchObject({ status: 'paid', totalCents: 0, paymentProvider: 'free' });
    expect(res.json<TTestOrder>().tickets).toHaveLength(2);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      sold: 2,
      held: 0,
      available: 1,
    });
    const again = await payOrder(ctx, buyer, res.json<TTestOrder>().id);
    expect(again.json()).toMatchObject({ error: 'order_already_paid' });
  });

  it('answers bad orders with specific errors and holds nothing', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, {
      capacity: 10,
      maxPerOrder: 4,
    });
    const other = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const order = (items: { ticketTypeId: string; quantity: number }[], eventId = event.id) =>
      placeOrder(ctx, buyer, { eventId, items });
    const expectError = (res: Awaited<ReturnType<typeof order>>, status: number, error: string) => {
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json<TErr>().error).toBe(error);
    };
    expectError(
      await order([{ ticketTypeId: ticketType.id, quantity: 0 }]),
      400,
      'validation_failed',
    );
    expectError(
      await order([{ ticketTypeId: ticketType.id, quantity: -2 }]),
      400,
      'validation_failed',
    );
    expectError(
      await order([{ ticketTypeId: ticketType.id, quantity: 1.5 }]),
      400,
      'validation_failed',
    );
    expectError(await order([]), 400, 'validation_failed');
    expectError(
      await order([{ ticketTypeId: ticketType.id, quantity: 5 }]),
      400,
      'quantity_not_allowed',
    );
    expectError(
      await order([{ ticketTypeId: other.ticketType.id, quantity: 1 }]),
      400,
      'invalid_ticket_type',
    );
    expectError(
      await order([
        { ticketTypeId: ticketType.id, quantity: 1 },
        { ticketTypeId: ticketType.id, quantity: 1 },
      ]),
      400,
      'validation_failed',
    );
    expectError(
      await order([{ ticketTypeId: ticketType.id, quantity: 11 }]),
      400,
      'quantity_not_allowed',
    );
    expectError(
      await order(
        [{ ticketTypeId: ticketType.id, quantity: 1 }],
        '00000000-0000-4000-8000-000000000000',
      ),
      404,
      'not_found',
    );

    const draft = await makeEvent(ctx, other.owner, other.organizer.id);
    const draftType = await makeTicketType(ctx, other.owner, draft.id);
    expectError(
      await order([{ ticketTypeId: draftType.id, quantity: 1 }], draft.id),
      404,
      'not_found',
    );

    const closed = await makeTicketType(ctx, owner, event.id, {
      salesEndAt: '2030-02-01T00:00:00Z',
    });
    expectError(await order([{ ticketTypeId: closed.id, quantity: 1 }]), 409, 'sales_closed');
    const later = await makeTicketType(ctx, owner, event.id, {
      salesStartAt: '2030-04-01T00:00:00Z',
    });
    expectError(await order([{ ticketTypeId: later.id, quantity: 1 }]), 409, 'sales_closed');
    const dollars = await makeTicketType(ctx, owner, event.id, { currency: 'USD' });
    expectError(
      await order([
        { ticketTypeId: ticketType.id, quantity: 1 },
        { ticketTypeId: dollars.id, quantity: 1 },
      ]),
      400,
      'mixed_currencies',
    );
    const tooManyAttendees = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      attendees: [
        { name: 'A', email: 'a@example.test' },
        { name: 'B', email: 'b@example.test' },
      ],
    });
    expectError(tooManyAttendees, 400, 'validation_failed');
    const anonymous = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      payload: { eventId: event.id, items: [{ ticketTypeId: ticketType.id, quantity: 1 }] },
    });
    expect(anonymous.statusCode).toBe(401);

    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ held: 0, sold: 0 });
    expect(
      await ctx.db.selectFrom('orders').select('id').where('user_id', '=', buyer.userId).execute(),
    ).toHaveLength(0);
  });

  it('refuses orders for a cancelled event', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx);
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${event.id}/cancel`,
      headers: owner.headers,
    });
    const buyer = await signIn(ctx);
    const res = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'event_not_on_sale' });
  });

  it('answers sold_out (409) when not enough seats are left', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 3 });
    const buyer = await signIn(ctx);
    await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
    });
    const res = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: 'sold_out',
      details: { ticketTypeId: ticketType.id, available: 1 },
    });
  });
});

describe('idempotency', () => {
  it('returns the same order for the same key and refuses the key for another body', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 10 });
    const buyer = await signIn(ctx);
    const body = { eventId: event.id, items: [{ ticketTypeId: ticketType.id, quantity: 2 }] };
    const first = await placeOrder(ctx, buyer, body, 'checkout-123');
    const second = await placeOrder(ctx, buyer, body, 'checkout-123');
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json<TTestOrder>().id).toBe(first.json<TTestOrder>().id);
    const different = await placeOrder(
      ctx,
      buyer,
      { ...body, items: [{ ticketTypeId: ticketType.id, quantity: 3 }] },
      'checkout-123',
    );
    expect(different.statusCode).toBe(409);
    expect(different.json()).toMatchObject({ error: 'idempotency_key_reused' });
    // Keys are per user: another buyer's same key is a different order.
    const otherBuyer = await signIn(ctx);
    expect((await placeOrder(ctx, otherBuyer, body, 'checkout-123')).statusCode).toBe(201);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ held: 4 });
    const badKey = await placeOrder(ctx, buyer, body, 'x'.repeat(201));
    expect(badKey.json()).toMatchObject({ error: 'invalid_idempotency_key' });
  });

  it('creates one order when the same key arrives many times at once', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 50 });
    const buyer = await signIn(ctx);
    const body = { eventId: event.id, items: [{ ticketTypeId: ticketType.id, quantity: 1 }] };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => placeOrder(ctx, buyer, body, 'double-click')),
    );
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.json<TTestOrder>().id)).size).toBe(1);
    expect(
      await ctx.db.selectFrom('orders').select('id').where('user_id', '=', buyer.userId).execute(),
    ).toHaveLength(1);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ held: 1 });
  });
});

describe('paying', () => {
  it('keeps a declined order pending and lets the buyer retry', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const order = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      })
    ).json<TTestOrder>();
    const declined = await payOrder(ctx, buyer, order.id, 'test_declined');
    expect(declined.statusCode).toBe(402);
    expect(declined.json()).toMatchObject({
      error: 'payment_declined',
      details: { reason: 'card_declined' },
    });
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/orders/${order.id}`,
          headers: buyer.headers,
        })
      ).json(),
    ).toMatchObject({ status: 'pending' });
    expect((await payOrder(ctx, buyer, order.id, 'test_ok')).json()).toMatchObject({
      status: 'paid',
    });
    expect((await payOrder(ctx, buyer, order.id, 'test_ok')).json()).toMatchObject({
      error: 'order_already_paid',
    });
  });

  it('pays slowly (test_slow) and reports a provider that does not answer (test_timeout) as 502, nothing charged', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const order = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      })
    ).json<TTestOrder>();
    const failed = await payOrder(ctx, buyer, order.id, 'test_timeout');
    expect(failed.statusCode).toBe(502);
    expect(failed.json()).toMatchObject({ error: 'payment_failed' });
    const started = Date.now();
    const slow = await payOrder(ctx, buyer, order.id, 'test_slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(slow.json()).toMatchObject({ status: 'paid' });
  });

  it('refuses a second payment while one is running', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const order = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      })
    ).json<TTestOrder>();
    const [slow, fast] = await Promise.all([
      payOrder(ctx, buyer, order.id, 'test_slow'),
      waitForPaymentClaim(order.id).then(() => payOrder(ctx, buyer, order.id, 'test_ok')),
    ]);
    expect(slow.json()).toMatchObject({ status: 'paid' });
    expect(fast.json()).toMatchObject({ error: 'payment_in_progress' });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ sold: 1, held: 0 });
  });

  it("refuses someone else's order (404) and lets only the team record an offline payment", async () => {
    const { owner, organizer, event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const stranger = await signIn(ctx);
    const staff = await addMember(ctx, owner, organizer.id, 'staff');
    const order = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      })
    ).json<TTestOrder>();
    for (const who of [stranger, staff]) {
      expect((await payOrder(ctx, who, order.id)).statusCode).toBe(404);
      expect(
        (
          await ctx.app.inject({
            method: 'GET',
            url: `/api/v1/orders/${order.id}`,
            headers: who.headers,
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (
          await ctx.app.inject({
            method: 'POST',
            url: `/api/v1/orders/${order.id}/cancel`,
            headers: who.headers,
          })
        ).statusCode,
      ).toBe(404);
    }
    expect((await payOrder(ctx, buyer, order.id, undefined, 'offline')).statusCode).toBe(403);
    const marked = await payOrder(ctx, owner, order.id, undefined, 'offline');
    expect(marked.json()).toMatchObject({ status: 'paid', paymentProvider: 'offline' });
    const log = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/organizers/${organizer.id}/audit-log?limit=1`,
      headers: owner.headers,
    });
    expect(log.json()).toMatchObject({
      items: [{ action: 'order.mark_paid', entityId: order.id }],
    });
  });

  it('refuses paying an expired or cancelled order', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const expiring = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      })
    ).json<TTestOrder>();
    const cancelled = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      })
    ).json<TTestOrder>();
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${cancelled.id}/cancel`,
      headers: buyer.headers,
    });
    ctx.clock.advance(HOLD_TTL + 1);
    expect((await payOrder(ctx, buyer, expiring.id)).json()).toMatchObject({
      error: 'order_expired',
    });
    await ctx.drainJobs();
    expect((await payOrder(ctx, buyer, expiring.id)).json()).toMatchObject({
      error: 'order_expired',
    });
    expect((await payOrder(ctx, buyer, cancelled.id)).json()).toMatchObject({
      error: 'order_not_payable',
    });
  });
});

describe('holds that lapse', () => {
  it('expire by the durable sweep, return their seats and tell the buyer', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 4 });
    const buyer = await signIn(ctx);
    const order = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 4 }],
      })
    ).json<TTestOrder>();
    ctx.clock.advance(HOLD_TTL - 1_000);
    await ctx.drainJobs();
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      held: 4,
      available: 0,
    });
    ctx.clock.advance(2_000);
    await ctx.drainJobs();
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/orders/${order.id}`,
          headers: buyer.headers,
        })
      ).json(),
    ).toMatchObject({ status: 'expired' });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      held: 0,
      available: 4,
    });
    const mail = await ctx.db
      .selectFrom('dev_mail')
      .select('subject')
      .where('to_address', '=', buyer.email)
      .execute();
    expect(mail.map((m) => m.subject)).toContain(
      `Your reserved tickets were released: ${event.title}`,
    );
  });

  it('while a payment runs past the lease: paid if the seats are still free, refunded and expired if not', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 1 });
    const [first, rival] = [await signIn(ctx), await signIn(ctx)];

    // Case 1: the hold lapses during a slow payment, nobody takes the seat: the order ends paid.
    const a = (
      await placeOrder(ctx, first, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      })
    ).json<TTestOrder>();
    const paying = payOrder(ctx, first, a.id, 'test_slow');
    await waitForPaymentClaim(a.id);
    ctx.clock.advance(HOLD_TTL + 2 * 60_000 + 1);
    await ctx.drainJobs();
    expect(
      (
        await ctx.db
          .selectFrom('orders')
          .select('status')
          .where('id', '=', a.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('expired');
    expect((await paying).json()).toMatchObject({ status: 'paid' });
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      sold: 1,
      held: 0,
      available: 0,
    });

    // Case 2: the seat is taken by someone else meanwhile: refunded, the order stays expired.
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${a.id}/cancel`,
      headers: first.headers,
    });
    await ctx.drainJobs();
    const b = (
      await placeOrder(ctx, first, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      })
    ).json<TTestOrder>();
    const payingB = payOrder(ctx, first, b.id, 'test_slow');
    await waitForPaymentClaim(b.id);
    ctx.clock.advance(HOLD_TTL + 2 * 60_000 + 1);
    await ctx.drainJobs();
    const rivalOrder = await buyTickets(ctx, rival, event.id, ticketType.id, 1);
    expect(rivalOrder.status).toBe('paid');
    const outcome = await payingB;
    expect(outcome.statusCode).toBe(409);
    expect(outcome.json()).toMatchObject({ error: 'order_expired', details: { refunded: true } });
    expect(
      (
        await ctx.db
          .selectFrom('orders')
          .select('status')
          .where('id', '=', b.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('expired');
    expect(
      await ctx.db.selectFrom('tickets').select('id').where('order_id', '=', b.id).execute(),
    ).toHaveLength(0);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ sold: 1, held: 0 });
  });

  it('an event cancelled while a payment runs: the charge is refunded and no ticket is issued', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 5 });
    const buyer = await signIn(ctx);
    const order = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
      })
    ).json<TTestOrder>();
    const paying = payOrder(ctx, buyer, order.id, 'test_slow');
    await waitForPaymentClaim(order.id);
    const cancelled = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${event.id}/cancel`,
      headers: owner.headers,
    });
    expect(cancelled.statusCode).toBe(200);
    const outcome = await paying;
    expect(outcome.json()).toMatchObject({
      error: 'order_not_payable',
      details: { status: 'cancelled', refunded: true },
    });
    const row = await ctx.db
      .selectFrom('orders')
      .select(['status', 'paid_at'])
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'cancelled', paid_at: null });
    expect(
      await ctx.db.selectFrom('tickets').select('id').where('order_id', '=', order.id).execute(),
    ).toHaveLength(0);
    expect(
      await ctx.db
        .selectFrom('ticket_types')
        .select(['sold', 'held'])
        .where('id', '=', ticketType.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ sold: 0, held: 0 });
  });
});

describe('cancelling', () => {
  it('releases a pending order and refunds a paid one, voiding its tickets', async () => {
    const { event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 10 });
    const buyer = await signIn(ctx);
    const pending = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
      })
    ).json<TTestOrder>();
    const cancel = (id: string, who = buyer) =>
      ctx.app.inject({ method: 'POST', url: `/api/v1/orders/${id}/cancel`, headers: who.headers });
    expect((await cancel(pending.id)).json()).toMatchObject({ status: 'cancelled' });
    expect((await cancel(pending.id)).json()).toMatchObject({ error: 'order_not_cancellable' });

    const paid = await buyTickets(ctx, buyer, event.id, ticketType.id, 3);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({ sold: 3, held: 0 });
    const refunded = await cancel(paid.id);
    expect(refunded.json()).toMatchObject({ status: 'refunded' });
    expect(refunded.json<TTestOrder>().tickets.every((t) => t.status === 'void')).toBe(true);
    expect(await getTicketType(ctx, event.id, ticketType.id)).toMatchObject({
      sold: 0,
      held: 0,
      available: 10,
    });
    await ctx.drainJobs();
    const jobs = await ctx.db
      .selectFrom('jobs')
      .select(['kind', 'done_at'])
      .where('dedupe_key', '=', `refund:${paid.id}`)
      .execute();
    expect(jobs).toEqual([{ kind: 'payments.refund', done_at: expect.any(Date) as unknown }]);
    const subjects = (
      await ctx.db
        .selectFrom('dev_mail')
        .select('subject')
        .where('to_address', '=', buyer.email)
        .execute()
    ).map((m) => m.subject);
    expect(subjects).toContain(`Refund: ${event.title}`);
  });

  it('lets buyers refund only while the organizer allows it and the event has not started; the team always can', async () => {
    const { owner, organizer, event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const order = await buyTickets(ctx, buyer, event.id, ticketType.id, 1);
    await ctx.db
      .updateTable('organizers')
      .set({ allows_refunds: false })
      .where('id', '=', organizer.id)
      .execute();
    const byBuyer = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/cancel`,
      headers: buyer.headers,
    });
    expect(byBuyer.statusCode).toBe(409);
    expect(byBuyer.json()).toMatchObject({ error: 'refund_not_allowed' });
    const manager = await addMember(ctx, owner, organizer.id, 'manager');
    const byManager = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/cancel`,
      headers: manager.headers,
    });
    expect(byManager.json()).toMatchObject({ status: 'refunded' });
  });

  it('cancelling an event cancels its holds, refunds its orders and voids every ticket', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 10 });
    const buyer = await signIn(ctx);
    const pending = (
      await placeOrder(ctx, buyer, {
        eventId: event.id,
        items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
      })
    ).json<TTestOrder>();
    const paid = await buyTickets(ctx, buyer, event.id, ticketType.id, 2);
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/api/v1/events/${event.id}/cancel`,
          headers: owner.headers,
        })
      ).statusCode,
    ).toBe(200);
    const statuses = await ctx.db
      .selectFrom('orders')
      .select(['id', 'status'])
      .where('event_id', '=', event.id)
      .execute();
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      [pending.id]: 'cancelled',
      [paid.id]: 'refunded',
    });
    const tickets = await ctx.db
      .selectFrom('tickets')
      .select('status')
      .where('event_id', '=', event.id)
      .execute();
    expect(tickets.map((t) => t.status)).toEqual(['void', 'void']);
    await ctx.drainJobs();
    const subjects = (
      await ctx.db
        .selectFrom('dev_mail')
        .select('subject')
        .where('to_address', '=', buyer.email)
        .execute()
    ).map((m) => m.subject);
    expect(subjects).toContain(`Cancelled: ${event.title}`);
  });
});

describe('listing', () => {
  it("shows buyers their own orders and organizers their event's orders", async () => {
    const { owner, organizer, event, ticketType } = await makeOnSaleEvent(ctx);
    const buyer = await signIn(ctx);
    const other = await signIn(ctx);
    const mine = await buyTickets(ctx, buyer, event.id, ticketType.id, 1);
    await buyTickets(ctx, other, event.id, ticketType.id, 1);
    const list = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me/orders',
      headers: buyer.headers,
    });
    expect(list.json<{ items: { id: string }[] }>().items.map((o) => o.id)).toEqual([mine.id]);
    const byEvent = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/events/${event.id}/orders?limit=1`,
      headers: owner.headers,
    });
    const page = byEvent.json<{ items: { buyerEmail: string }[]; nextCursor: string }>();
    expect(page.items).toHaveLength(1);
    const next = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/events/${event.id}/orders?limit=1&cursor=${page.nextCursor}`,
      headers: owner.headers,
    });
    expect(
      [...page.items, ...next.json<{ items: { buyerEmail: string }[] }>().items]
        .map((o) => o.buyerEmail)
        .sort(),
    ).toEqual([buyer.email, other.email].sort());
    const staff = await addMember(ctx, owner, organizer.id, 'staff');
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/events/${event.id}/orders`,
          headers: staff.headers,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/events/${event.id}/orders`,
          headers: buyer.headers,
        })
      ).statusCode,
    ).toBe(404);
  });
});

/** Waits until the order's payment has been claimed (the slow provider call is then running). */
async function waitForPaymentClaim(orderId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const row = await ctx.db
      .selectFrom('orders')
      .select('paying_until')
      .where('id', '=', orderId)
      .executeTakeFirst();
    if (row?.paying_until) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('payment never started');
}
