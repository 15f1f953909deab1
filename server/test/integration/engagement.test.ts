import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBroadcast } from '../../src/modules/broadcasts/broadcasts.schema.js';
import type { TAnalytics } from '../../src/modules/reports/reports.schema.js';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  buyTickets,
  makeOnSaleEvent,
  placeOrder,
  signIn,
  eventInput,
  uniqueEmail,
  type TSignedIn,
} from '../support/factories.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const subscribe = (email: string, topic: string, ip = '198.51.100.7') =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/subscriptions',
    payload: { email, topic },
    remoteAddress: ip,
  });

/** Every mail the dev mailbox holds for `email` whose subject starts with `prefix`. */
const mailsTo = (email: string, prefix = '') =>
  ctx.db
    .selectFrom('dev_mail')
    .select(['subject', 'text_body', 'html_body', 'headers'])
    .where('to_address', '=', email)
    .where('subject', 'like', `${prefix}%`)
    .orderBy('id')
    .execute();

const tokenIn = (text: string, path: string) => {
  const match = new RegExp(`${path}\\?token=([^\\s"<>]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in: ${text}`);
  return decodeURIComponent(match[1]);
};

async function subscribeAndConfirm(email: string, topic: string) {
  expect((await subscribe(email, topic)).statusCode).toBe(202);
  await ctx.drainJobs();
  const [mail] = await mailsTo(email, 'Confirm your subscription');
  const confirmed = await ctx.app.inject(
    `/api/v1/subscriptions/confirm?token=${encodeURIComponent(tokenIn(mail!.text_body, '/subscriptions/confirm'))}`,
  );
  expect(confirmed.statusCode).toBe(200);
}

const announce = (
  who: TSignedIn,
  eventId: string,
  subject: string,
  body = 'Doors open at 18:00.',
) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/events/${eventId}/announcements`,
    headers: who.headers,
    payload: { subject, body },
  });

describe('subscriptions (double opt-in)', () => {
  it('confirms once through the link in the e-mail, and never spams', async () => {
    const { organizer } = await makeOnSaleEvent(ctx);
    const topic = `organizer:${organizer.id}`;
    const email = uniqueEmail('fan');

    expect((await subscribe(email, topic)).statusCode).toBe(202);
    expect((await subscribe(email.toUpperCase(), topic)).statusCode).toBe(202);
    await ctx.drainJobs();
    const confirmations = await mailsTo(email, 'Confirm your subscription');
    // Asked twice within minutes: one e-mail.
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.subject).toContain('news from Test Organizer');
    const token = tokenIn(confirmations[0]!.text_body, '/subscriptions/confirm');

    const confirmed = await ctx.app.inject(
      `/api/v1/subscriptions/confirm?token=${encodeURIComponent(token)}`,
    );
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ email, topic, status: 'confirmed' });

    const reused = await ctx.app.inject(
      `/api/v1/subscriptions/confirm?token=${encodeURIComponent(token)}`,
    );
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ error: 'token_used' });

    // Already confirmed: the workflow stops at its first step, no new e-mail.
    ctx.clock.advance(60 * 60_000);
    expect((await subscribe(email, topic)).statusCode).toBe(202);
    await ctx.drainJobs();
    expect(await mailsTo(email, 'Confirm your subscription')).toHaveLength(1);
  });

  it('refuses forged, superseded and expired links', async () => {
    const email = uniqueEmail('late');
    await subscribe(email, 'newsletter');
    await ctx.drainJobs();
    const [first] = await mailsTo(email, 'Confirm your subscription');
    const token = tokenIn(first!.text_body, '/subscriptions/confirm');
    const [id, generation] = token.split('.');

    const forged = await ctx.app.inject(
      `/api/v1/subscriptions/confirm?token=${id}.${generation}.${'A'.repeat(43)}`,
    );
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ error: 'token_invalid' });
    const otherRow = await ctx.app.inject(
      `/api/v1/subscriptions/confirm?token=${Number(id) + 1}.${generation}.${token.split('.')[2]}`,
    );
    expect(otherRow.json()).toMatchObject({ error: 'token_invalid' });

    // After the resend interval a new link is sent and the old one no longer works.
    ctx.clock.advance(11 * 60_000);
    await subscribe(email, 'newsletter');
    await ctx.drainJobs();
    const confirmations = await mailsTo(email, 'Confirm your subscription');
    expect(confirmations).toHaveLength(2);
    const superseded = await ctx.app.inject(
      `/api/v1/subscriptions/confirm?token=${encodeURIComponent(token)}`,
    );
    expect(superseded.json()).toMatchObject({ error: 'token_invalid' });

    ctx.clock.advance(3 * 24 * 60 * 60_000);
    const newest = tokenIn(confirmations[1]!.text_body, '/subscriptions/confirm');
    const expired = await ctx.app.inject(
      `/api/v1/subscriptions/confirm?token=${encodeURIComponent(newest)}`,
    );
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: 'token_expired' });
  });

  it('answers bad input with a 4xx and writes nothing', async () => {
    const before = await ctx.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'subscriptions.subscribe')
      .executeTakeFirstOrThrow();
    const cases: [unknown, number][] = [
      [{ email: 'not-an-email', topic: 'newsletter' }, 400],
      [{ email: 'a@example.test', topic: 'weather' }, 400],
      [{ email: 'a@example.test', topic: 'organizer:123' }, 400],
      [{ email: 'a@example.test', topic: 'newsletter', extra: 1 }, 400],
      [{ email: 'a@example.test', topic: 'organizer:00000000-0000-4000-8000-000000000000' }, 404],
      [{ email: 'a@example.test', topic: 'event:00000000-0000-4000-8000-000000000000' }, 404],
    ];
    for (const [payload, status] of cases) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/subscriptions',
        payload: payload as object,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json()).toHaveProperty('error');
    }
    const after = await ctx.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'subscriptions.subscribe')
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(
      (await ctx.app.inject('/api/v1/subscriptions/unsubscribe?token=x.y.z.w.v.u')).json(),
    ).toMatchObject({ error: 'token_invalid' });
  });
});

describe('announcements', () => {
  it('reach holders and confirmed subscribers once each, with a one-click unsubscribe', async () => {
    const { owner, organizer, event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 50 });
    const holder = await signIn(ctx, uniqueEmail('holder'));
    await buyTickets(ctx, holder, event.id, ticketType.id, 2);
    const follower = uniqueEmail('follower');
    await subscribeAndConfirm(follower, `organizer:${organizer.id}`);
    // A holder who also follows the organizer still gets one copy.
    await subscribeAndConfirm(holder.email, `organizer:${organizer.id}`);
    const unconfirmed = uniqueEmail('unconfirmed');
    await subscribe(unconfirmed, `event:${event.id}`);
    await ctx.drainJobs();

    const sent = await announce(owner, event.id, 'Doors open early');
    expect(sent.statusCode).toBe(202);
    await ctx.drainJobs();
    expect(await mailsTo(holder.email, 'Doors open early')).toHaveLength(1);
    expect(await mailsTo(follower, 'Doors open early')).toHaveLength(1);
    expect(await mailsTo(unconfirmed, 'Doors open early')).toHaveLength(0);

    const list = await ctx.app.inject({
      url: `/api/v1/events/${event.id}/announcements`,
      headers: owner.headers,
    });
    expect(list.json<{ items: TBroadcast[] }>().items[0]).toMatchObject({
      kind: 'announcement',
      subject: 'Doors open early',
      isFannedOut: true,
      deliveries: { recipients: 2, sent: 2, pending: 0, failed: 0, unconfirmed: 0 },
    });

    // One click from the mail client (RFC 8058): a form POST to the List-Unsubscribe URL.
    const [mail] = await mailsTo(follower, 'Doors open early');
    const headers = mail!.headers;
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const target = /<([^>]+)>/.exec(headers['List-Unsubscribe'] ?? '')?.[1] ?? '';
    expect(mail!.text_body).toContain('/unsubscribe?token=');
    const url = new URL(target);
    const unsubscribed = await ctx.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.statusCode).toBe(200);
    expect(unsubscribed.json()).toMatchObject({ email: follower, status: 'unsubscribed' });

    await announce(owner, event.id, 'Second notice');
    await ctx.drainJobs();
    expect(await mailsTo(follower, 'Second notice')).toHaveLength(0);
    expect(await mailsTo(holder.email, 'Second notice')).toHaveLength(1);
  });

  it('are for the organizer’s managers only', async () => {
    const { owner, event } = await makeOnSaleEvent(ctx);
    const staff = await addMember(ctx, owner, event.organizerId, 'staff');
    const { organizer: own } = await makeOnSaleEvent(ctx);
    const stranger = await signIn(ctx, uniqueEmail('stranger'));
    expect((await announce(staff, event.id, 'Hi')).statusCode).toBe(403);
    expect((await announce(stranger, event.id, 'Hi')).statusCode).toBe(404);
    expect(own.id).not.toBe(event.organizerId);
    const anonymous = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${event.id}/announcements`,
      payload: { subject: 'Hi', body: 'x' },
    });
    expect(anonymous.statusCode).toBe(401);
    const empty = await announce(owner, event.id, '');
    expect(empty.statusCode).toBe(400);
    const count = await ctx.db
      .selectFrom('broadcasts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('reaches every recipient exactly once when a worker dies mid-batch', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 50 });
    const buyers = await Promise.all(
      Array.from({ length: 6 }, () => signIn(ctx, uniqueEmail('crowd'))),
    );
    for (const buyer of buyers) await buyTickets(ctx, buyer, event.id, ticketType.id, 1);
    await ctx.drainJobs();
    expect((await announce(owner, event.id, 'Crash test')).statusCode).toBe(202);

    // The worker hands the third mail over and dies before recording it.
    const send = ctx.deps.mailer.send.bind(ctx.deps.mailer);
    let handedOver = 0;
    let isCrashed = false;
    ctx.deps.mailer.send = async (mail) => {
      if (isCrashed) return new Promise<void>(() => undefined);
      await send(mail);
      handedOver += 1;
      if (handedOver === 3) {
        isCrashed = true;
        return new Promise<void>(() => undefined);
      }
    };
    void ctx.drainJobs();
    await expect.poll(() => handedOver, { timeout: 10_000 }).toBe(3);

    // Another worker takes over once the dead one's lease has run out.
    ctx.deps.mailer.send = send;
    ctx.clock.advance(2 * 60_000);
    await ctx.drainJobs();

    for (const buyer of buyers) expect(await mailsTo(buyer.email, 'Crash test')).toHaveLength(1);
    const list = await ctx.app.inject({
      url: `/api/v1/events/${event.id}/announcements`,
      headers: owner.headers,
    });
    expect(list.json<{ items: TBroadcast[] }>().items[0]?.deliveries).toEqual({
      recipients: 6,
      pending: 0,
      sent: 5,
      failed: 0,
      unconfirmed: 1,
    });
  });
});

describe('reminders and change notices', () => {
  it('reminds holders once before the start, again if the event moves', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx);
    const holder = await signIn(ctx, uniqueEmail('reminded'));
    await buyTickets(ctx, holder, event.id, ticketType.id, 1);
    await ctx.drainJobs();
    const start = new Date(eventInput().startsAt).getTime();
    const now = ctx.clock.now().getTime();

    ctx.clock.set(new Date(start - 25 * 3_600_000));
    await ctx.drainJobs();
    expect(await mailsTo(holder.email, 'Reminder:')).toHaveLength(0);
    ctx.clock.set(new Date(start - 23 * 3_600_000));
    await ctx.drainJobs();
    await ctx.drainJobs();
    expect(await mailsTo(holder.email, 'Reminder:')).toHaveLength(1);

    // Months have passed on the clock: the organizer signs in again.
    const organizer = await signIn(ctx, owner.email);
    const moved = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/events/${event.id}`,
      headers: organizer.headers,
      payload: {
        startsAt: new Date(start + 3_600_000).toISOString(),
        endsAt: new Date(start + 5 * 3_600_000).toISOString(),
      },
    });
    expect(moved.statusCode).toBe(200);
    await ctx.drainJobs();
    const changed = await mailsTo(holder.email, 'Changed:');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.text_body).toContain('Your tickets stay valid');
    expect(await mailsTo(holder.email, 'Reminder:')).toHaveLength(2);

    // A title change is not a move: no notice.
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/events/${event.id}`,
      headers: organizer.headers,
      payload: { title: 'Harbour Jazz Night (sold out)' },
    });
    await ctx.drainJobs();
    expect(await mailsTo(holder.email, 'Changed:')).toHaveLength(1);
    ctx.clock.set(new Date(now));
  });

  it('tells the event’s followers when it is cancelled', async () => {
    const { owner, event } = await makeOnSaleEvent(ctx);
    const follower = uniqueEmail('watcher');
    await subscribeAndConfirm(follower, `event:${event.id}`);
    const cancelled = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/events/${event.id}/cancel`,
      headers: owner.headers,
    });
    expect(cancelled.statusCode).toBe(200);
    await ctx.drainJobs();
    expect(await mailsTo(follower, 'Cancelled:')).toHaveLength(1);
  });
});

describe('activity and analytics', () => {
  it('records views cheaply and reports numbers that agree with orders and tickets', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, {
      capacity: 20,
      priceCents: 1500,
    });
    const views = [
      { type: 'event_view', eventId: event.id, visitorId: 'visitor-aaaaaaaa' },
      { type: 'event_view', eventId: event.id, visitorId: 'visitor-aaaaaaaa' },
      { type: 'event_view', eventId: event.id, visitorId: 'visitor-bbbbbbbb' },
      { type: 'page_view', metadata: { path: '/' } },
    ];
    const batch = await ctx.app.inject({ method: 'POST', url: '/api/v1/activity', payload: views });
    expect(batch.statusCode).toBe(202);
    expect(batch.json()).toEqual({ accepted: 4 });
    const buyer = await signIn(ctx, uniqueEmail('buyer'));
    const single = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/activity',
      headers: buyer.headers,
      payload: { type: 'event_view', eventId: event.id },
    });
    expect(single.statusCode).toBe(202);
    await buyTickets(ctx, buyer, event.id, ticketType.id, 3);
    // An abandoned order counts for nothing.
    await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 1 }],
    });

    const res = await ctx.app.inject({
      url: `/api/v1/events/${event.id}/analytics`,
      headers: owner.headers,
    });
    expect(res.statusCode).toBe(200);
    const analytics = res.json<TAnalytics>();
    expect(analytics).toMatchObject({
      views: 4,
      uniqueVisitors: 3,
      orders: 1,
      ticketsSold: 3,
      revenueCents: 4500,
      currency: 'EUR',
      checkIns: { admitted: 0, total: 3 },
    });
    expect(analytics.conversionRate).toBeCloseTo(1 / 3);
    expect(analytics.byTicketType).toEqual([
      expect.objectContaining({ ticketTypeId: ticketType.id, ticketsSold: 3, revenueCents: 4500 }),
    ]);
    const sum = (key: 'views' | 'orders' | 'ticketsSold' | 'revenueCents') =>
      analytics.daily.reduce((total, day) => total + day[key], 0);
    expect(sum('views')).toBe(4);
    expect(sum('orders')).toBe(1);
    expect(sum('ticketsSold')).toBe(3);
    expect(sum('revenueCents')).toBe(4500);

    // Cross-check against the tables themselves.
    const sold = await ctx.db
      .selectFrom('ticket_types')
      .select(['sold'])
      .where('id', '=', ticketType.id)
      .executeTakeFirstOrThrow();
    expect(sold.sold).toBe(analytics.ticketsSold);
    const purchase = await ctx.db
      .selectFrom('activity')
      .select('type')
      .where('event_id', '=', event.id)
      .where('type', '=', 'ticket_purchase')
      .execute();
    expect(purchase).toHaveLength(1);

    const stranger = await signIn(ctx, uniqueEmail('nosy'));
    expect(
      (
        await ctx.app.inject({
          url: `/api/v1/events/${event.id}/analytics`,
          headers: stranger.headers,
        })
      ).statusCode,
    ).toBe(404);
    expect((await ctx.app.inject(`/api/v1/events/${event.id}/analytics`)).statusCode).toBe(401);
  });

  it('refuses malformed or oversized activity and writes nothing', async () => {
    const before = await ctx.db
      .selectFrom('activity')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const item = { type: 'page_view' };
    const cases: unknown[] = [
      [],
      Array.from({ length: 51 }, () => item),
      { type: 'ticket_purchase' },
      { type: 'page_view', eventId: 'nope' },
      { type: 'page_view', visitorId: 'x' },
      { type: 'page_view', metadata: { nested: { deep: true } } },
      JSON.parse('{"type":"page_view","metadata":{"__proto__":{"admin":true}}}'),
      {
        type: 'page_view',
        metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])),
      },
      [item, { type: 'nope' }],
    ];
    for (const payload of cases) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/activity',
        payload: payload as object,
      });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      // `__proto__` keys are refused by the JSON parser itself, the rest by the schema.
      expect(['validation_failed', 'invalid_json']).toContain(res.json<{ error: string }>().error);
    }
    const huge = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/activity',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ type: 'page_view', metadata: { a: 'x'.repeat(40_000) } }),
    });
    expect(huge.statusCode).toBe(413);
    const after = await ctx.db
      .selectFrom('activity')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('exports', () => {
  it('exports attendees and orders as RFC 4180 CSV with formulas neutralised', async () => {
    const { owner, event, ticketType } = await makeOnSaleEvent(ctx, { capacity: 10 });
    const buyer = await signIn(ctx, uniqueEmail('csv'));
    const created = await placeOrder(ctx, buyer, {
      eventId: event.id,
      items: [{ ticketTypeId: ticketType.id, quantity: 2 }],
      attendees: [
        { name: '=HYPERLINK("http://evil.test","click")', email: 'evil@example.test' },
        { name: 'Ann "the fan", Jr.', email: 'ann@example.test' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const order = created.json<{ id: string; status: string }>();
    if (order.status !== 'paid') {
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/orders/${order.id}/pay`,
        headers: buyer.headers,
        payload: { provider: 'test', paymentToken: 'test_ok' },
      });
    }

    const csv = await ctx.app.inject({
      url: `/api/v1/events/${event.id}/attendees?format=csv`,
      headers: owner.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attendees.csv');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe(
      'ticket_id,attendee_name,attendee_email,ticket_type,status,checked_in_at,order_id,buyer_email,issued_at',
    );
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
    expect(csv.body).toContain('"Ann ""the fan"", Jr."');
    expect(csv.body).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(lines.filter(Boolean)).toHaveLength(3);

    const json = await ctx.app.inject({
      url: `/api/v1/events/${event.id}/attendees`,
      headers: owner.headers,
    });
    expect(json.json<{ items: unknown[] }>().items).toHaveLength(2);

    const orders = await ctx.app.inject({
      url: `/api/v1/events/${event.id}/orders.csv`,
      headers: owner.headers,
    });
    expect(orders.statusCode).toBe(200);
    expect(orders.body.split('\r\n')[1]).toContain(`${order.id},paid,`);

    const calendar = await ctx.app.inject({
      url: '/api/v1/me/calendar.ics',
      headers: buyer.headers,
    });
    expect(calendar.statusCode).toBe(200);
    expect(calendar.body).toContain('BEGIN:VCALENDAR');
    expect(calendar.body).toContain(`UID:${event.id}@tickitnow`);
    const nobody = await signIn(ctx, uniqueEmail('empty-calendar'));
    const empty = await ctx.app.inject({ url: '/api/v1/me/calendar.ics', headers: nobody.headers });
    expect(empty.body).toContain('BEGIN:VCALENDAR');
    expect(empty.body).not.toContain('BEGIN:VEVENT');

    const stranger = await signIn(ctx, uniqueEmail('snoop'));
    const denied = await ctx.app.inject({
      url: `/api/v1/events/${event.id}/attendees?format=csv`,
      headers: stranger.headers,
    });
    expect(denied.statusCode).toBe(404);
    expect(
      (
        await ctx.app.inject({
          url: `/api/v1/events/${event.id}/attendees?format=xml`,
          headers: owner.headers,
        })
      ).statusCode,
    ).toBe(400);
  });
});
