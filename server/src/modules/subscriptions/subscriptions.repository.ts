import { sql } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';

/** SQL of double opt-in subscriptions. Rows are keyed by (email, topic). */
export function createSubscriptionsRepository() {
  return {
    find: (db: TDb, email: string, topic: string) =>
      db
        .selectFrom('subscriptions')
        .selectAll()
        .where('email', '=', email)
        .where('topic', '=', topic)
        .executeTakeFirst(),

    findById: (db: TDb, id: number) =>
      db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst(),

    /** The row for (email, topic), created as pending if missing, locked for this transaction. */
    async lockOrCreate(trx: TDb, email: string, topic: string) {
      await trx
        .insertInto('subscriptions')
        .values({ email, topic, status: 'pending' })
        .onConflict((oc) => oc.columns(['email', 'topic']).doNothing())
        .execute();
      return trx
        .selectFrom('subscriptions')
        .selectAll()
        .where('email', '=', email)
        .where('topic', '=', topic)
        .forUpdate()
        .executeTakeFirstOrThrow();
    },

    lockById: (trx: TDb, id: number) =>
      trx
        .selectFrom('subscriptions')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst(),

    /** Starts a new confirmation round: only the link of this generation confirms. */
    startConfirmation: (trx: TDb, id: number, now: Date, expiresAt: Date) =>
      trx
        .updateTable('subscriptions')
        .set({
          status: 'pending',
          confirm_generation: sql`confirm_generation + 1`,
          confirm_sent_at: now,
          confirm_expires_at: expiresAt,
        })
        .where('id', '=', id)
        .returning(['id', 'confirm_generation'])
        .executeTakeFirstOrThrow(),

    markConfirmed: (trx: TDb, id: number, now: Date) =>
      trx
        .updateTable('subscriptions')
        .set({ status: 'confirmed', confirmed_at: now, confirm_expires_at: null })
        .where('id', '=', id)
        .execute(),

    /** Unsubscribing needs no row to exist (ticket holders were never subscribed). */
    markUnsubscribed: (trx: TDb, email: string, topic: string, now: Date) =>
      trx
        .insertInto('subscriptions')
        .values({ email, topic, status: 'unsubscribed', unsubscribed_at: now })
        .onConflict((oc) =>
          oc.columns(['email', 'topic']).doUpdateSet({
            status: 'unsubscribed',
            unsubscribed_at: now,
            confirm_expires_at: null,
          }),
        )
        .execute(),
  };
}

export type TSubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>;
