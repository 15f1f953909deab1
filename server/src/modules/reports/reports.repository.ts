import { sql } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';

/** Read-only SQL behind analytics and exports; counts come from the tables that hold the truth. */
export function createReportsRepository() {
  return {
    async salesTotals(db: TDb, eventId: string) {
      const orders = await sql<{ orders: number; revenue: number }>`
        SELECT count(*) AS orders, coalesce(sum(total_cents), 0) AS revenue
        FROM orders WHERE event_id = ${eventId} AND status = 'paid'`.execute(db);
      return {
        orders: Number(orders.rows[0]?.orders ?? 0),
        revenue: Number(orders.rows[0]?.revenue ?? 0),
      };
    },

    byTicketType: (db: TDb, eventId: string) =>
      sql<{
        id: string;
        name: string;
        capacity: number;
        currency: string;
        sold: number;
        checked_in: number;
        revenue: number;
      }>`
        SELECT tt.id, tt.name, tt.capacity, tt.currency,
          (SELECT count(*) FROM tickets t WHERE t.ticket_type_id = tt.id AND t.status = 'valid') AS sold,
          (SELECT count(*) FROM tickets t WHERE t.ticket_type_id = tt.id AND t.status = 'valid'
             AND t.checked_in_at IS NOT NULL) AS checked_in,
          (SELECT coalesce(sum(oi.quantity * oi.unit_price_cents), 0)
             FROM order_items oi JOIN orders o ON o.id = oi.order_id
             WHERE oi.ticket_type_id = tt.id AND o.status = 'paid') AS revenue
        FROM ticket_types tt WHERE tt.event_id = ${eventId}
        ORDER BY tt.sort_order, tt.created_at`
        .execute(db)
        .then((r) => r.rows),

    /** Per-day sales and arrivals in the event's time zone, each from the table that holds it. */
    dailySales: (db: TDb, eventId: string, timezone: string) =>
      sql<{ date: string; orders: number; revenue: number; tickets: number; check_ins: number }>`
        WITH sales AS (
          SELECT to_char(paid_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS date,
                 count(*) AS orders, sum(total_cents) AS revenue
          FROM orders WHERE event_id = ${eventId} AND status = 'paid' GROUP BY 1
        ), issued AS (
          SELECT to_char(o.paid_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS date, count(*) AS tickets
          FROM tickets t JOIN orders o ON o.id = t.order_id
          WHERE t.event_id = ${eventId} AND t.status = 'valid' GROUP BY 1
        ), arrivals AS (
          SELECT to_char(checked_in_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS date, count(*) AS check_ins
          FROM tickets WHERE event_id = ${eventId} AND status = 'valid' AND checked_in_at IS NOT NULL
          GROUP BY 1
        ), days AS (
          SELECT date FROM sales UNION SELECT date FROM issued UNION SELECT date FROM arrivals
        )
        SELECT days.date,
          coalesce(sales.orders, 0) AS orders, coalesce(sales.revenue, 0) AS revenue,
          coalesce(issued.tickets, 0) AS tickets, coalesce(arrivals.check_ins, 0) AS check_ins
        FROM days
        LEFT JOIN sales USING (date) LEFT JOIN issued USING (date) LEFT JOIN arrivals USING (date)
        ORDER BY days.date`
        .execute(db)
        .then((r) => r.rows),

    attendees: (db: TDb, eventId: string) =>
      db
        .selectFrom('tickets')
        .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
        .innerJoin('orders', 'orders.id', 'tickets.order_id')
        .innerJoin('users', 'users.id', 'orders.user_id')
        .select([
          'tickets.id',
          'tickets.order_id',
          'tickets.ticket_type_id',
          'ticket_types.name as ticket_type_name',
          'tickets.attendee_name',
          'tickets.attendee_email',
          'users.email as buyer_email',
          'tickets.status',
          'tickets.checked_in_at',
          'tickets.created_at',
        ])
        .where('tickets.event_id', '=', eventId)
        .orderBy('tickets.created_at')
        .orderBy('tickets.id')
        .execute(),

    orders: (db: TDb, eventId: string) =>
      db
        .selectFrom('orders')
        .innerJoin('users', 'users.id', 'orders.user_id')
        .select([
          'orders.id',
          'orders.status',
          'users.email as buyer_email',
          'users.name as buyer_name',
          'orders.total_cents',
          'orders.currency',
          'orders.payment_provider',
          'orders.created_at',
          'orders.paid_at',
          'orders.cancelled_at',
          'orders.refunded_at',
          (eb) =>
            eb
              .selectFrom('order_items')
              .select((e) => e.fn.sum<number>('quantity').as('q'))
              .whereRef('order_items.order_id', '=', 'orders.id')
              .as('quantity'),
        ])
        .where('orders.event_id', '=', eventId)
        .orderBy('orders.created_at')
        .orderBy('orders.id')
        .execute(),

    /** Events the user holds a valid ticket for or bought a paid order of. */
    heldEventIds: (db: TDb, userId: string, email: string) =>
      sql<{ event_id: string }>`
        SELECT DISTINCT event_id FROM orders WHERE user_id = ${userId} AND status = 'paid'
        UNION
        SELECT DISTINCT event_id FROM tickets WHERE lower(attendee_email) = ${email} AND status = 'valid'`
        .execute(db)
        .then((r) => r.rows.map((row) => row.event_id)),
  };
}

export type TReportsRepository = ReturnType<typeof createReportsRepository>;
