import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { TTestContext } from './test-context.js';
import {
  addMember,
  buyTickets,
  makeEvent,
  makeOrganizer,
  makeTicketType,
  placeOrder,
  signIn,
  uniqueEmail,
  type TSignedIn,
  type TTestEvent,
  type TTestOrder,
  type TTestTicketType,
} from './factories.js';

/** Who calls, from nobody to the platform administrator. */
export const roles = [
  'anonymous',
  'attendee',
  'otherAttendee',
  'staff',
  'manager',
  'owner',
  'otherOwner',
  'admin',
] as const;
export type TRole = (typeof roles)[number];
export type TSignedInRole = Exclude<TRole, 'anonymous'>;

/**
 * The people and data every access check runs against: organizer A with its team, a published
 * event with a ticket type, a paid order of the attendee; organizer B with its own owner and
 * event; a platform administrator. Path parameters always name organizer A's resources.
 */
export type TAccessWorld = {
  sessions: Record<TSignedInRole, TSignedIn>;
  organizerA: { id: string };
  organizerB: { id: string };
  event: TTestEvent;
  draftEvent: TTestEvent;
  eventB: TTestEvent;
  ticketType: TTestTicketType;
  /** Capacity 1, sold: the waiting list is open. */
  soldOutType: TTestTicketType;
  /** The attendee's paid order of two tickets: the first is looked at, the second scanned. */
  order: TTestOrder;
  ticketId: string;
  scanCode: string;
};

export async function buildAccessWorld(ctx: TTestContext): Promise<TAccessWorld> {
  const owner = await signIn(ctx, uniqueEmail('owner-a'));
  const organizerA = await makeOrganizer(ctx, owner, 'Organizer A');
  const manager = await addMember(ctx, owner, organizerA.id, 'manager');
  const staff = await addMember(ctx, owner, organizerA.id, 'staff');
  const event = await makeEvent(ctx, owner, organizerA.id, { publish: true });
  const draftEvent = await makeEvent(ctx, owner, organizerA.id, {
    input: { title: 'Unannounced Draft' },
  });
  const ticketType = await makeTicketType(ctx, owner, event.id, { capacity: 1000 });
  const soldOutType = await makeTicketType(ctx, owner, event.id, {
    name: 'Front row',
    capacity: 1,
  });

  const attendee = await signIn(ctx, uniqueEmail('attendee'));
  const order = await buyTickets(ctx, attendee, event.id, ticketType.id, 2);
  await buyTickets(ctx, attendee, event.id, soldOutType.id, 1);
  const otherAttendee = await signIn(ctx, uniqueEmail('other-attendee'));
  await buyTickets(ctx, otherAttendee, event.id, ticketType.id, 1);

  const otherOwner = await signIn(ctx, uniqueEmail('owner-b'));
  const organizerB = await makeOrganizer(ctx, otherOwner, 'Organizer B');
  const eventB = await makeEvent(ctx, otherOwner, organizerB.id, { publish: true });

  const adminEmail = uniqueEmail('admin');
  // What `npm run cli -- create-admin` does.
  await ctx.services.users.createAdmin(adminEmail);
  const admin = await signIn(ctx, adminEmail);

  const [first, second] = order.tickets;
  if (!first || !second) throw new Error('the order has no two tickets');
  return {
    sessions: { attendee, otherAttendee, staff, manager, owner, otherOwner, admin },
    organizerA,
    organizerB,
    event,
    draftEvent,
    eventB,
    ticketType,
    soldOutType,
    order,
    ticketId: first.id,
    scanCode: second.code,
  };
}

/** Fresh data for cells whose call changes or consumes what it acts on. */
export function freshData(ctx: TTestContext, world: TAccessWorld) {
  const { owner, attendee, otherAttendee } = world.sessions;
  return {
    async pendingOrder(): Promise<string> {
      const res = await placeOrder(ctx, attendee, {
        eventId: world.event.id,
        items: [{ ticketTypeId: world.ticketType.id, quantity: 1 }],
      });
      if (res.statusCode !== 201) throw new Error(`order failed: ${res.body}`);
      return res.json<{ id: string }>().id;
    },
    async staffMember(): Promise<string> {
      return (await addMember(ctx, owner, world.organizerA.id, 'staff')).userId;
    },
    async draftEvent(): Promise<string> {
      return (await makeEvent(ctx, owner, world.organizerA.id)).id;
    },
    async publishedEvent(): Promise<string> {
      return (await makeEvent(ctx, owner, world.organizerA.id, { publish: true })).id;
    },
    async unsoldTicketType(): Promise<string> {
      return (await makeTicketType(ctx, owner, world.event.id, { name: 'Disposable' })).id;
    },
    /** A ticket of the attendee, admitted at the gate, ready to be un-admitted. */
    async checkedInTicket(): Promise<string> {
      const order = await buyTickets(ctx, attendee, world.event.id, world.ticketType.id, 1);
      const ticket = order.tickets[0];
      if (!ticket) throw new Error('no ticket');
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/events/${world.event.id}/check-ins`,
        headers: owner.headers,
        payload: { code: ticket.code },
      });
      if (res.statusCode !== 200) throw new Error(`check-in failed: ${res.body}`);
      return ticket.id;
    },
    /** A new session of the same person, so signing it out leaves the shared one working. */
    async sessionOf(role: TSignedInRole): Promise<TSignedIn> {
      return signIn(ctx, world.sessions[role].email);
    },
    /**
     * A live waiting-list offer: a one-seat type is held by another attendee, someone joins the
     * waiting list, the owner cancels the hold and the seat is offered. Returns the claim token.
     */
    async waitlistOffer(): Promise<string> {
      const type = await makeTicketType(ctx, owner, world.event.id, {
        name: 'Last seat',
        capacity: 1,
      });
      const held = await placeOrder(ctx, otherAttendee, {
        eventId: world.event.id,
        items: [{ ticketTypeId: type.id, quantity: 1 }],
      });
      if (held.statusCode !== 201) throw new Error(`hold failed: ${held.body}`);
      const joined = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/ticket-types/${type.id}/waitlist`,
        payload: { email: uniqueEmail('waiting') },
      });
      if (joined.statusCode !== 202) throw new Error(`waitlist join failed: ${joined.body}`);
      const cancelled = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/orders/${held.json<{ id: string }>().id}/cancel`,
        headers: owner.headers,
      });
      if (cancelled.statusCode !== 200) throw new Error(`cancel failed: ${cancelled.body}`);
      const entry = await ctx.db
        .selectFrom('waitlist_entries')
        .select(['id', 'offer_expires_at'])
        .where('ticket_type_id', '=', type.id)
        .where('status', '=', 'offered')
        .executeTakeFirstOrThrow();
      if (!entry.offer_expires_at) throw new Error('offer without expiry');
      return ctx.services.waitlist.claimToken(entry.id, entry.offer_expires_at);
    },
    /** The one-time link of a pending newsletter subscription. */
    async confirmToken(): Promise<string> {
      const email = uniqueEmail('subscriber');
      await ctx.services.subscriptions.runSubscribeWorkflow({ email, topic: 'newsletter' });
      const row = await ctx.db
        .selectFrom('subscriptions')
        .select(['id', 'confirm_generation'])
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      return ctx.services.subscriptions.confirmToken(row.id, row.confirm_generation);
    },
    unsubscribeToken(): string {
      return ctx.services.subscriptions.unsubscribeToken(uniqueEmail('subscriber'), 'newsletter');
    },
    randomId: () => randomUUID(),
  };
}
export type TFreshData = ReturnType<typeof freshData>;

/** The fingerprint query of each context's database, built once from its list of tables. */
const fingerprintQueries = new WeakMap<TTestContext, string>();

/**
 * A hash of every row of every table of the database, per table: equal fingerprints mean a
 * request wrote nothing (a table added later is covered without touching this).
 */
export async function dataFingerprint(ctx: TTestContext): Promise<Record<string, string>> {
  let query = fingerprintQueries.get(ctx);
  if (!query) {
    const tables = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(ctx.db);
    if (tables.rows.length < 10) throw new Error('the schema has too few tables to be ours');
    query = `SELECT ${tables.rows
      .map(
        ({ name }) =>
          `(SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM "${name}" r) AS "${name}"`,
      )
      .join(', ')}`;
    fingerprintQueries.set(ctx, query);
  }
  const { rows } = await sql<Record<string, string>>`${sql.raw(query)}`.execute(ctx.db);
  const row = rows[0];
  if (!row) throw new Error('no fingerprint');
  return row;
}

/** The tables whose rows differ between two fingerprints. */
export function diffFingerprints(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys({ ...a, ...b }).filter((t) => a[t] !== b[t]);
}
