import type { Insertable, Selectable } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';
import type { TTicketsTable } from '../../adapters/database/schema.js';

export type TTicketRow = Selectable<TTicketsTable>;

function selectDetailed(db: TDb) {
  return db
    .selectFrom('tickets')
    .innerJoin('orders', 'orders.id', 'tickets.order_id')
    .innerJoin('events', 'events.id', 'tickets.event_id')
    .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
    .selectAll('tickets')
    .select([
      'orders.user_id as buyer_user_id',
      'events.organizer_id',
      'events.title as event_title',
      'events.slug as event_slug',
      'events.starts_at as event_starts_at',
      'events.ends_at as event_ends_at',
      'events.timezone as event_timezone',
      'events.venue_name',
      'events.venue_address',
      'events.venue_city',
      'events.venue_country',
      'events.online_url',
      'events.status as event_status',
      'ticket_types.name as ticket_type_name',
    ]);
}

export function createTicketsRepository() {
  return {
    insertMany: (db: TDb, rows: Insertable<TTicketsTable>[]) =>
      rows.length
        ? db.insertInto('tickets').values(rows).returningAll().execute()
        : Promise.resolve([]),

    findById: (db: TDb, id: string) =>
      db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst(),

    /** A ticket with what its holder needs to see: the event, the type and who bought it. */
    findDetailed: (db: TDb, id: string) =>
      selectDetailed(db).where('tickets.id', '=', id).executeTakeFirst(),

    /** Detailed tickets by id, in no particular order (one query for a page of them). */
    listDetailed: (db: TDb, ids: string[]) =>
      ids.length
        ? selectDetailed(db).where('tickets.id', 'in', ids).execute()
        : Promise.resolve([]),

    /** An order's detailed tickets in seat order (one query for its PDF). */
    listDetailedForOrder: (db: TDb, orderId: string) =>
      selectDetailed(db).where('tickets.order_id', '=', orderId).orderBy('tickets.seat').execute(),

    listForOrder: (db: TDb, orderId: string) =>
      db
        .selectFrom('tickets')
        .selectAll()
        .where('order_id', '=', orderId)
        .orderBy('seat')
        .execute(),

    listForOrders: (db: TDb, orderIds: string[]) =>
      orderIds.length
        ? db
            .selectFrom('tickets')
            .selectAll()
            .where('order_id', 'in', orderIds)
            .orderBy('order_id')
            .orderBy('seat')
            .execute()
        : Promise.resolve([]),

    /** Tickets the user bought or that were issued to their e-mail address. */
    listIdsForHolder: (
      db: TDb,
      userId: string,
      email: string,
      before: { createdAt: Date; id: string } | undefined,
      limit: number,
    ) => {
      let query = db
        .selectFrom('tickets')
        .innerJoin('orders', 'orders.id', 'tickets.order_id')
        .select(['tickets.id', 'tickets.created_at'])
        .where((eb) =>
          eb.or([eb('orders.user_id', '=', userId), eb('tickets.attendee_email', '=', email)]),
        )
        .orderBy('tickets.created_at', 'desc')
        .orderBy('tickets.id', 'desc')
        .limit(limit + 1);
      if (before) {
        query = query.where((eb) =>
          eb.or([
            eb('tickets.created_at', '<', before.createdAt),
            eb.and([
              eb('tickets.created_at', '=', before.createdAt),
              eb('tickets.id', '<', before.id),
            ]),
          ]),
        );
      }
      return query.execute();
    },

    /**
     * Voids an order's valid tickets and stamps them with a new revocation version of their
     * event. Bumping the version takes the event row lock, so versions are assigned in commit
     * order and a scanner asking for "revocations after N" can never miss one.
     */
    async voidForOrder(db: TDb, orderId: string, eventId: string, now: Date) {
      const { revocation_version } = await db
        .updateTable('events')
        .set((eb) => ({ revocation_version: eb('revocation_version', '+', 1) }))
        .where('id', '=', eventId)
        .returning('revocation_version')
        .executeTakeFirstOrThrow();
      await db
        .updateTable('tickets')
        .set({ status: 'void', voided_at: now, void_version: revocation_version })
        .where('order_id', '=', orderId)
        .where('status', '=', 'valid')
        .execute();
    },

    setQrKey: (db: TDb, id: string, key: string) =>
      db.updateTable('tickets').set({ qr_key: key }).where('id', '=', id).execute(),

    findActiveKey: (db: TDb, eventId: string) =>
      db
        .selectFrom('event_keys')
        .selectAll()
        .where('event_id', '=', eventId)
        .where('retired_at', 'is', null)
        .executeTakeFirst(),

    /** Creates the event's key pair unless a concurrent issuer already did. */
    insertKeyIfAbsent: (
      db: TDb,
      row: { id: string; event_id: string; public_key: string; private_key_encrypted: string },
    ) =>
      db
        .insertInto('event_keys')
        .values(row)
        .onConflict((oc) => oc.column('event_id').where('retired_at', 'is', null).doNothing())
        .execute(),
  };
}

export type TTicketsRepository = ReturnType<typeof createTicketsRepository>;
