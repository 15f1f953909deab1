import { randomBytes } from 'node:crypto';
import type { TTestContext } from './test-context.js';

export type TSignedIn = {
  token: string;
  userId: string;
  email: string;
  headers: { authorization: string };
};

let counter = 0;
/** A unique address per call, so tests never collide on users. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString('hex')}@example.test`;
}

/** The newest sign-in code the dev mailbox holds for `email`. */
export async function latestCode(ctx: TTestContext, email: string): Promise<string> {
  const mail = await ctx.db
    .selectFrom('dev_mail')
    .select('text_body')
    .where('to_address', '=', email)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const code = /\b(\d{6})\b/.exec(mail.text_body)?.[1];
  if (!code) throw new Error(`no code in mail to ${email}`);
  return code;
}

/** Signs in through the real API: request a code, read it from the dev mailbox, exchange it. */
export async function signIn(ctx: TTestContext, email = uniqueEmail()): Promise<TSignedIn> {
  const requested = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp',
    payload: { email },
  });
  if (requested.statusCode !== 202) throw new Error(`otp request failed: ${requested.body}`);
  const code = await latestCode(ctx, email);
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/session',
    payload: { email, code },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  const body = res.json<{ token: string; user: { id: string; email: string } }>();
  return {
    token: body.token,
    userId: body.user.id,
    email,
    headers: { authorization: `Bearer ${body.token}` },
  };
}

export async function makeOrganizer(ctx: TTestContext, owner: TSignedIn, name = 'Test Organizer') {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/organizers',
    headers: owner.headers,
    payload: { name },
  });
  if (res.statusCode !== 201) throw new Error(`organizer creation failed: ${res.body}`);
  return res.json<{ id: string; name: string; slug: string }>();
}

export async function addMember(
  ctx: TTestContext,
  owner: TSignedIn,
  organizerId: string,
  role: 'owner' | 'manager' | 'staff',
) {
  const member = await signIn(ctx, uniqueEmail(role));
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/organizers/${organizerId}/members`,
    headers: owner.headers,
    payload: { email: member.email, role },
  });
  if (res.statusCode !== 201) throw new Error(`adding member failed: ${res.body}`);
  return member;
}

export function eventInput(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Harbour Jazz Night',
    description: 'Live **jazz** by the water.',
    category: 'music',
    tags: ['jazz', 'live'],
    startsAt: '2030-06-01T19:00:00+01:00',
    endsAt: '2030-06-01T23:00:00+01:00',
    timezone: 'Europe/Lisbon',
    venue: { name: 'Armazém 16', address: 'Rua 16', city: 'Lisbon', country: 'PT' },
    ...overrides,
  };
}

export type TTestEvent = {
  id: string;
  slug: string;
  status: string;
  organizerId: string;
  title: string;
};

export async function makeEvent(
  ctx: TTestContext,
  owner: TSignedIn,
  organizerId: string,
  options: { publish?: boolean; input?: Record<string, unknown> } = {},
): Promise<TTestEvent> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/organizers/${organizerId}/events`,
    headers: owner.headers,
    payload: eventInput(options.input),
  });
  if (res.statusCode !== 201) throw new Error(`event creation failed: ${res.body}`);
  const event = res.json<TTestEvent>();
  if (!options.publish) return event;
  const published = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/events/${event.id}/publish`,
    headers: owner.headers,
  });
  if (published.statusCode !== 200) throw new Error(`publish failed: ${published.body}`);
  return published.json<TTestEvent>();
}

export type TTestTicketType = {
  id: string;
  eventId: string;
  capacity: number;
  priceCents: number;
  available: number;
  sold: number;
  held: number;
};

export async function makeTicketType(
  ctx: TTestContext,
  owner: TSignedIn,
  eventId: string,
  input: Record<string, unknown> = {},
) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/events/${eventId}/ticket-types`,
    headers: owner.headers,
    payload: {
      name: 'General admission',
      priceCents: 2500,
      currency: 'EUR',
      capacity: 100,
      ...input,
    },
  });
  if (res.statusCode !== 201) throw new Error(`ticket type creation failed: ${res.body}`);
  return res.json<TTestTicketType>();
}

/** A published event with one ticket type, owned by a fresh organizer. */
export async function makeOnSaleEvent(ctx: TTestContext, typeInput: Record<string, unknown> = {}) {
  const owner = await signIn(ctx, uniqueEmail('owner'));
  const organizer = await makeOrganizer(ctx, owner);
  const event = await makeEvent(ctx, owner, organizer.id, { publish: true });
  const ticketType = await makeTicketType(ctx, owner, event.id, typeInput);
  return { owner, organizer, event, ticketType };
}

export type TTestOrder = {
  id: string;
  status: string;
  totalCents: number;
  expiresAt: string;
  tickets: {
    id: string;
    code: string;
    status: string;
    attendeeName: string;
    attendeeEmail: string;
    ticketTypeId: string;
  }[];
};

export function placeOrder(
  ctx: TTestContext,
  buyer: TSignedIn,
  body: {
    eventId: string;
    items: { ticketTypeId: string; quantity: number }[];
    attendees?: { name: string; email: string }[];
  },
  idempotencyKey?: string,
) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { ...buyer.headers, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    payload: body,
  });
}

export function payOrder(
  ctx: TTestContext,
  who: TSignedIn,
  orderId: string,
  paymentToken = 'test_ok',
  provider = 'test',
) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/pay`,
    headers: who.headers,
    payload: { provider, paymentToken },
  });
}

/** Places and pays an order, returning the paid order with its tickets. */
export async function buyTickets(
  ctx: TTestContext,
  buyer: TSignedIn,
  eventId: string,
  ticketTypeId: string,
  quantity = 1,
) {
  const created = await placeOrder(ctx, buyer, { eventId, items: [{ ticketTypeId, quantity }] });
  if (created.statusCode !== 201) throw new Error(`order failed: ${created.body}`);
  const order = created.json<TTestOrder>();
  if (order.status === 'paid') return order;
  const paid = await payOrder(ctx, buyer, order.id);
  if (paid.statusCode !== 200) throw new Error(`payment failed: ${paid.body}`);
  return paid.json<TTestOrder>();
}

export async function getTicketType(
  ctx: TTestContext,
  eventId: string,
  ticketTypeId: string,
  who?: TSignedIn,
) {
  const res = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/events/${eventId}/ticket-types`,
    ...(who ? { headers: who.headers } : {}),
  });
  const type = res.json<{ items: TTestTicketType[] }>().items.find((t) => t.id === ticketTypeId);
  if (!type) throw new Error('ticket type not listed');
  return type;
}
