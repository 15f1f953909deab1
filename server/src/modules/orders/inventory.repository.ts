import { sql } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';

/**
 * Every statement that moves seats between "available", "held" and "sold" (holds of paid orders
 * are taken in batches by take_holds, see hold-batcher.ts). Each changes one ticket_types row, so
 * it takes that row's lock only: orders for different ticket types never wait for each other,
 * and there is no event-wide lock anywhere in the purchase path.
 */
export function createInventoryRepository() {
  return {
    /**
     * Holds `quantity` seats if that many are left. Cannot oversell: the WHERE clause is
     * re-evaluated on the latest row version after any concurrent writer commits (READ COMMITTED
     * re-check under the row lock), and the ticket_types_no_oversell CHECK constraint refuses any
     * row with sold + held > capacity even if this condition were wrong. Returns false when sold out.
     */
    async hold(db: TDb, ticketTypeId: string, quantity: number, now: Date): Promise<boolean> {
      const result = await db
        .updateTable('ticket_types')
        .set({ held: sql`held + ${quantity}`, updated_at: now })
        .where('id', '=', ticketTypeId)
        .where(sql<boolean>`sold + held + ${quantity} <= capacity`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Sells seats directly (free orders, and re-taking seats after a lapsed hold); false when sold out. */
    async sell(db: TDb, ticketTypeId: string, quantity: number, now: Date): Promise<boolean> {
      const result = await db
        .updateTable('ticket_types')
        .set({ sold: sql`sold + ${quantity}`, updated_at: now })
        .where('id', '=', ticketTypeId)
        .where(sql<boolean>`sold + held + ${quantity} <= capacity`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /**
     * A paid hold becomes a sale; sold + held is unchanged, so it can never fail the constraint.
     * Applied to the counter row when the transaction commits (deferred_seat_moves), so the row's
     * lock is held only inside the commit: call it anywhere in the transaction.
     */
    async convertHeldToSold(db: TDb, ticketTypeId: string, quantity: number): Promise<void> {
      await db
        .insertInto('deferred_seat_moves')
        .values({ ticket_type_id: ticketTypeId, held_change: -quantity, sold_change: quantity })
        .execute();
    },

    /**
     * Gives seats back: `fromHeld` lapsed or cancelled holds, `fromSold` refunded sales, of which
     * `keptForWaitlist` stay held as waiting-list offers. It only lowers the counters, so it
     * cannot fail either: applied inside the commit, like convertHeldToSold.
     */
    async release(
      db: TDb,
      ticketTypeId: string,
      seats: { fromHeld: number; fromSold: number; keptForWaitlist: number },
    ) {
      await db
        .insertInto('deferred_seat_moves')
        .values({
          ticket_type_id: ticketTypeId,
          held_change: seats.keptForWaitlist - seats.fromHeld,
          sold_change: -seats.fromSold,
        })
        .execute();
    },

    available: async (db: TDb, ticketTypeId: string) =>
      (
        await db
          .selectFrom('ticket_types')
          .select(sql<number>`capacity - sold - held`.as('available'))
          .where('id', '=', ticketTypeId)
          .executeTakeFirst()
      )?.available ?? 0,
  };
}

export type TInventoryRepository = ReturnType<typeof createInventoryRepository>;
