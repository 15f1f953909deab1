import type { TDb } from '../../adapters/database/database.js';

export function createWaitlistRepository() {
  return {
    /** Joins the line unless the address is already waiting or holding an offer for this type. */
    insertIfAbsent: (db: TDb, ticketTypeId: string, email: string) =>
      db
        .insertInto('waitlist_entries')
        .values({ ticket_type_id: ticketTypeId, email })
        .onConflict((oc) =>
          oc
            .columns(['ticket_type_id', 'email'])
            .where('status', 'in', ['waiting', 'offered'])
            .doNothing(),
        )
        .returningAll()
        .executeTakeFirst(),

    findLive: (db: TDb, ticketTypeId: string, email: string) =>
      db
        .selectFrom('waitlist_entries')
        .selectAll()
        .where('ticket_type_id', '=', ticketTypeId)
        .where('email', '=', email)
        .where('status', 'in', ['waiting', 'offered'])
        .executeTakeFirst(),

    /** 1-based place in line of a waiting entry. */
    position: async (db: TDb, ticketTypeId: string, entryId: number) =>
      Number(
        (
          await db
            .selectFrom('waitlist_entries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('ticket_type_id', '=', ticketTypeId)
            .where('status', '=', 'waiting')
            .where('id', '<=', entryId)
            .executeTakeFirstOrThrow()
        ).n,
      ),

    /** The first `limit` people in line, locked; entries another transaction is offering are skipped. */
    takeNextWaiting: (db: TDb, ticketTypeId: string, limit: number) =>
      db
        .selectFrom('waitlist_entries')
        .select(['id', 'email'])
        .where('ticket_type_id', '=', ticketTypeId)
        .where('status', '=', 'waiting')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute(),

    markOffered: (db: TDb, id: number, offerExpiresAt: Date, claimTokenHash: string, now: Date) =>
      db
        .updateTable('waitlist_entries')
        .set({
          status: 'offered',
          offer_expires_at: offerExpiresAt,
          claim_token_hash: claimTokenHash,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute(),

    takeLapsedOffers: (db: TDb, now: Date, limit: number) =>
      db
        .selectFrom('waitlist_entries')
        .select(['id', 'ticket_type_id'])
        .where('status', '=', 'offered')
        .where('offer_expires_at', '<=', now)
        .orderBy('offer_expires_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute(),

    markLapsed: (db: TDb, id: number, now: Date) =>
      db
        .updateTable('waitlist_entries')
        .set({ status: 'lapsed', claim_token_hash: null, updated_at: now })
        .where('id', '=', id)
        .execute(),

    findOfferByTokenHash: (db: TDb, tokenHash: string) =>
      db
        .selectFrom('waitlist_entries')
        .selectAll()
        .where('claim_token_hash', '=', tokenHash)
        .forUpdate()
        .executeTakeFirst(),

    markClaimed: (db: TDb, id: number, orderId: string, now: Date) =>
      db
        .updateTable('waitlist_entries')
        .set({ status: 'claimed', order_id: orderId, claim_token_hash: null, updated_at: now })
        .where('id', '=', id)
        .execute(),

    findById: (db: TDb, id: number) =>
      db.selectFrom('waitlist_entries').selectAll().where('id', '=', id).executeTakeFirst(),
  };
}

export type TWaitlistRepository = ReturnType<typeof createWaitlistRepository>;
