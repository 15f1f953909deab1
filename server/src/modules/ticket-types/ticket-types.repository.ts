import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';
import type { TTicketTypesTable } from '../../adapters/database/schema.js';

export type TTicketTypeRow = Selectable<TTicketTypesTable>;

export function createTicketTypesRepository() {
  return {
    insert: (db: TDb, values: Insertable<TTicketTypesTable>) =>
      db.insertInto('ticket_types').values(values).returningAll().executeTakeFirstOrThrow(),

    findById: (db: TDb, id: string) =>
      db.selectFrom('ticket_types').selectAll().where('id', '=', id).executeTakeFirst(),

    listForEvent: (db: TDb, eventId: string, includeHidden: boolean) => {
      let query = db
        .selectFrom('ticket_types')
        .selectAll()
        .where('event_id', '=', eventId)
        .orderBy('sort_order')
        .orderBy('created_at');
      if (!includeHidden) query = query.where('hidden', '=', false);
      return query.execute();
    },

    findManyForEvent: (db: TDb, eventId: string, ids: string[]) =>
      db
        .selectFrom('ticket_types')
        .selectAll()
        .where('event_id', '=', eventId)
        .where('id', 'in', ids)
        .execute(),

    /**
     * Applies the changes unless the new capacity would fall below what is sold and held. The
     * condition and the write are one statement on the locked row, so a concurrent sale cannot
     * slip in between the check and the update.
     */
    update: (db: TDb, id: string, values: Updateable<TTicketTypesTable>) => {
      let query = db.updateTable('ticket_types').set(values).where('id', '=', id);
      if (values.capacity !== undefined)
        query = query.where(sql<boolean>`sold + held <= ${values.capacity}`);
      return query.returningAll().executeTakeFirst();
    },

    hasOrders: async (db: TDb, id: string) =>
      (await db
        .selectFrom('order_items')
        .select('order_id')
        .where('ticket_type_id', '=', id)
        .limit(1)
        .executeTakeFirst()) !== undefined,

    /** Deletes only a type nobody ever ordered (no rows reference it and nothing is held or sold). */
    deleteIfUnsold: async (db: TDb, id: string) =>
      (
        await db
          .deleteFrom('ticket_types')
          .where('id', '=', id)
          .where('sold', '=', 0)
          .where('held', '=', 0)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('order_items')
                  .select('order_id')
                  .whereRef('order_items.ticket_type_id', '=', 'ticket_types.id'),
              ),
            ),
          )
          .executeTakeFirst()
      ).numDeletedRows > 0n,
  };
}

export type TTicketTypesRepository = ReturnType<typeof createTicketTypesRepository>;
