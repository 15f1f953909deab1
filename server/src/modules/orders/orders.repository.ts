import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { TDb } from '../../adapters/database/database.js';
import type { TOrderStatus, TOrdersTable, TTicketsTable } from '../../adapters/database/schema.js';
import type { jobRows } from '../../adapters/jobs/job-queue.js';
import type { serverActivityRow } from '../activity/activity.service.js';
import type { TTicketRow } from '../tickets/tickets.repository.js';

export type TOrderRow = Selectable<TOrdersTable>;
export type TOrderItemRow = Awaited<ReturnType<TOrdersRepository['itemsFor']>>[number];
export type TClaimedOrder = NonNullable<
  Awaited<ReturnType<TOrdersRepository['claimForPayment']>>[number]
>;

/** An order's items with their ticket types' names, in the ticket types' order. */
function selectItems(db: TDb) {
  return db
    .selectFrom('order_items')
    .innerJoin('ticket_types', 'ticket_types.id', 'order_items.ticket_type_id')
    .select([
      'order_items.order_id',
      'order_items.ticket_type_id',
      'order_items.quantity',
      'order_items.unit_price_cents',
      'ticket_types.name',
    ])
    .orderBy('ticket_types.sort_order')
    .orderBy('ticket_types.created_at');
}

/** One payment's claim on its order (see `claimForPayment`). */
export type TPaymentClaim = { orderId: string; buyerId: string; now: Date; payingUntil: Date };

/** What one payment writes when its order is marked paid (see `payPending`). */
export type TPaymentWrites = {
  orderId: string;
  now: Date;
  payment: { payment_provider: string; payment_reference: string };
  tickets: Insertable<TTicketsTable>[];
  activity: ReturnType<typeof serverActivityRow>;
  jobs: ReturnType<typeof jobRows>;
  seatMoves: { ticket_type_id: string; held_change: number; sold_change: number }[];
};

/**
 * `INSERT INTO table (columns) SELECT … FROM <rows>` for the rows whose order `paid` returned.
 * The rows go as one JSON parameter of `{ order, row }` pairs and are read back with the table's
 * own column types. (`WHERE` also keeps a following ON CONFLICT from being read as a join
 * condition.)
 */
function insertIfPaid(table: string, rows: { order: string; row: object }[]) {
  const names = Object.keys(rows[0]?.row ?? {});
  const columns = sql.join(names.map((c) => sql.ref(c)));
  const values = sql.join(names.map((c) => sql.ref(`r.${c}`)));
  return sql`INSERT INTO ${sql.table(table)} (${columns})
    SELECT ${values} FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) AS e,
      jsonb_populate_record(NULL::${sql.table(table)}, e -> 'row') AS r
    WHERE (e ->> 'order')::uuid IN (SELECT id FROM paid)`;
}

export function createOrdersRepository() {
  return {
    /**
     * Inserts the order unless this user already used this Idempotency-Key; then returns
     * undefined. A concurrent request with the same key waits on the unique index until the first
     * commits or rolls back, so two requests can never both create an order.
     */
    insertUnlessKeyUsed: (db: TDb, values: Insertable<TOrdersTable>) =>
      db
        .insertInto('orders')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'idempotency_key'])
            .where('idempotency_key', 'is not', null)
            .doNothing(),
        )
        .returningAll()
        .executeTakeFirst(),

    findByKey: (db: TDb, userId: string, idempotencyKey: string) =>
      db
        .selectFrom('orders')
        .selectAll()
        .where('user_id', '=', userId)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst(),

    /** Every (user, Idempotency-Key) that ordered this ticket type: seeds the sale gate's key set. */
    idempotencyKeysFor: (db: TDb, ticketTypeId: string) =>
      db
        .selectFrom('orders')
        .innerJoin('order_items', 'order_items.order_id', 'orders.id')
        .select(['orders.user_id', 'orders.idempotency_key'])
        .where('order_items.ticket_type_id', '=', ticketTypeId)
        .where('orders.idempotency_key', 'is not', null)
        .execute(),

    insertItems: (
      db: TDb,
      items: {
        order_id: string;
        ticket_type_id: string;
        quantity: number;
        unit_price_cents: number;
      }[],
    ) => db.insertInto('order_items').values(items).execute(),

    findById: (db: TDb, id: string) =>
      db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Locks one order row for a state change; concurrent changes of the same order queue here. */
    lockById: (db: TDb, id: string) =>
      db.selectFrom('orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),

    itemsFor: (db: TDb, orderIds: string[]) =>
      orderIds.length
        ? selectItems(db).where('order_items.order_id', 'in', orderIds).execute()
        : Promise.resolve([]),

    /**
     * Reserves each order for one payment call: only the buyer's pending, unexpired order with no
     * payment running is claimed. While `paying_until` lies ahead the expiry sweep leaves it
     * alone. A claimed order comes with what the payment needs next, its items and buyer, in the
     * same round trip. Answers in the order of `claims`, undefined where nothing was claimed (of
     * one buyer's two claims of one order, only the first can be; nobody else's ever).
     */
    claimForPayment: async (db: TDb, claims: TPaymentClaim[]) => {
      // Only the buyer's claim can match an order's row, and only the first of theirs counts.
      const key = (c: TPaymentClaim) => `${c.orderId}:${c.buyerId}`;
      const first = new Map<string, TPaymentClaim>();
      for (const c of claims) if (!first.has(key(c))) first.set(key(c), c);
      const input = [...first.values()].map((c) => ({
        order_id: c.orderId,
        user_id: c.buyerId,
        now: c.now,
        paying_until: c.payingUntil,
      }));
      const { rows } = await sql<
        TOrderRow & { buyer_name: string; buyer_email: string; items: TOrderItemRow[] }
      >`
        WITH input AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
            AS x(order_id uuid, user_id uuid, now timestamptz, paying_until timestamptz)
        ),
        claimed AS (
          UPDATE orders SET paying_until = input.paying_until, updated_at = input.now
          FROM input
          WHERE orders.id = input.order_id AND orders.user_id = input.user_id
            AND orders.status = 'pending' AND orders.expires_at > input.now
            AND (orders.paying_until IS NULL OR orders.paying_until <= input.now)
          RETURNING orders.*
        )
        SELECT claimed.*, users.name AS buyer_name, users.email AS buyer_email,
          ${jsonArrayFrom(selectItems(db).where('order_items.order_id', '=', sql.ref<string>('claimed.id')))} AS items
        FROM claimed JOIN users ON users.id = claimed.user_id`.execute(db);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return claims.map((c) => {
        const row = byId.get(c.orderId);
        if (!row || row.user_id !== c.buyerId || first.get(key(c)) !== c) return undefined;
        const { buyer_name, buyer_email, items, ...order } = row;
        return { order, items, buyer: { name: buyer_name, email: buyer_email } };
      });
    },

    /**
     * Marks pending orders paid and writes what follows from each (its tickets, the purchase
     * activity, its jobs, the seat conversion) in one statement: one round trip and one
     * transaction, whose deferred seat moves are applied at its commit. An order no longer
     * pending gets nothing written, and of two payments of one order in the same call only the
     * first can pay it. Answers each payment's tickets in the order of `payments`; none: it did not
     * pay its order.
     */
    payPending: async (db: TDb, payments: TPaymentWrites[]): Promise<TTicketRow[][]> => {
      const first = new Map<string, TPaymentWrites>();
      for (const p of payments) if (!first.has(p.orderId)) first.set(p.orderId, p);
      const paying = [...first.values()];
      // Each payment has at least one ticket, one job and one seat move, so no list is empty.
      const pairs = <T extends object>(rows: (p: TPaymentWrites) => T[]) =>
        paying.flatMap((p) => rows(p).map((row) => ({ order: p.orderId, row })));
      const input = paying.map((p) => ({ order_id: p.orderId, now: p.now, ...p.payment }));
      const activity = insertIfPaid(
        'activity',
        pairs((p) => [p.activity]),
      );
      const jobs = insertIfPaid(
        'jobs',
        pairs((p) => p.jobs),
      );
      const seatMoves = insertIfPaid(
        'deferred_seat_moves',
        pairs((p) => p.seatMoves),
      );
      const tickets = insertIfPaid(
        'tickets',
        pairs((p) => p.tickets),
      );
      const { rows } = await sql<TTicketRow>`
        WITH input AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb) AS x(
            order_id uuid, now timestamptz, payment_provider text, payment_reference text)
        ),
        paid AS (
          UPDATE orders SET status = 'paid', payment_provider = input.payment_provider,
            payment_reference = input.payment_reference, paying_until = NULL,
            paid_at = input.now, updated_at = input.now
          FROM input WHERE orders.id = input.order_id AND orders.status = 'pending'
          RETURNING orders.id
        ),
        activity_row AS (${activity}),
        job_rows AS (${jobs} ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING),
        seat_moves AS (${seatMoves})
        ${tickets}
        RETURNING *`.execute(db);
      const byOrder = new Map<string, TTicketRow[]>();
      for (const t of rows) byOrder.set(t.order_id, [...(byOrder.get(t.order_id) ?? []), t]);
      // In seat order, as the tickets were prepared (RETURNING need not keep it).
      return payments.map((p) =>
        first.get(p.orderId) === p
          ? (byOrder.get(p.orderId) ?? []).sort((a, b) => a.seat - b.seat)
          : [],
      );
    },

    releasePaymentClaim: (db: TDb, id: string, now: Date) =>
      db
        .updateTable('orders')
        .set({ paying_until: null, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute(),

    /** Moves the order to `to` only if it is still in one of `from`; returns the updated row. */
    transition: (
      db: TDb,
      id: string,
      from: TOrderStatus[],
      to: TOrderStatus,
      now: Date,
      extra: Pick<Updateable<TOrdersTable>, 'payment_provider' | 'payment_reference'> = {},
    ) =>
      db
        .updateTable('orders')
        .set({
          ...extra,
          status: to,
          paying_until: null,
          updated_at: now,
          ...(to === 'paid' ? { paid_at: now } : {}),
          ...(to === 'cancelled' ? { cancelled_at: now } : {}),
          ...(to === 'refunded' ? { refunded_at: now } : {}),
          ...(to === 'expired' ? { expired_at: now } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', from)
        .returningAll()
        .executeTakeFirst(),

    /** Expires pending orders (the sweep holds their locks); returns the ids it expired. */
    expirePending: async (db: TDb, ids: string[], now: Date) =>
      ids.length
        ? (
            await db
              .updateTable('orders')
              .set({ status: 'expired', paying_until: null, expired_at: now, updated_at: now })
              .where('id', 'in', ids)
              .where('status', '=', 'pending')
              .returning('id')
              .execute()
          ).map((r) => r.id)
        : [],

    /** Pending orders whose hold has lapsed and whose payment (if any) is not running, locked. */
    takeLapsedHolds: (db: TDb, now: Date, limit: number) =>
      db
        .selectFrom('orders')
        .selectAll()
        .where('status', '=', 'pending')
        .where('expires_at', '<=', now)
        .where((eb) => eb.or([eb('paying_until', 'is', null), eb('paying_until', '<=', now)]))
        .orderBy('expires_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute(),

    listForUser: (
      db: TDb,
      userId: string,
      f: {
        status?: TOrderStatus | undefined;
        before?: { createdAt: Date; id: string } | undefined;
        limit: number;
      },
    ) => listQuery(db, f).where('orders.user_id', '=', userId).execute(),

    listForEvent: (
      db: TDb,
      eventId: string,
      f: {
        status?: TOrderStatus | undefined;
        before?: { createdAt: Date; id: string } | undefined;
        limit: number;
      },
    ) => listQuery(db, f).where('orders.event_id', '=', eventId).execute(),

    listIdsForEvent: (db: TDb, eventId: string, statuses: TOrderStatus[]) =>
      db
        .selectFrom('orders')
        .select('id')
        .where('event_id', '=', eventId)
        .where('status', 'in', statuses)
        .execute(),
  };
}

function listQuery(
  db: TDb,
  f: {
    status?: TOrderStatus | undefined;
    before?: { createdAt: Date; id: string } | undefined;
    limit: number;
  },
) {
  let query = db
    .selectFrom('orders')
    .selectAll()
    .orderBy('orders.created_at', 'desc')
    .orderBy('orders.id', 'desc')
    .limit(f.limit + 1);
  if (f.status) query = query.where('orders.status', '=', f.status);
  if (f.before) {
    const { createdAt, id } = f.before;
    query = query.where((eb) =>
      eb.or([
        eb('orders.created_at', '<', createdAt),
        eb.and([eb('orders.created_at', '=', createdAt), eb('orders.id', '<', id)]),
      ]),
    );
  }
  return query;
}

export type TOrdersRepository = ReturnType<typeof createOrdersRepository>;
