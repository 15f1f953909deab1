import { sql } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';
import type { TBroadcastKind } from '../../adapters/database/schema.js';

/** Who a broadcast of each kind goes to. */
export type TAudience = {
  /** Ticket holders of the event (attendees of valid tickets and buyers of paid orders). */
  isForHolders: boolean;
  /** Confirmed subscribers of the event, and of its organizer when `isForOrganizerFollowers`. */
  isForSubscribers: boolean;
  isForOrganizerFollowers: boolean;
  /** Service messages (changes) reach holders even if they opted out of the event's news. */
  isOptOutRespectedForHolders: boolean;
};

export function createBroadcastsRepository() {
  return {
    insert: (
      trx: TDb,
      values: {
        eventId: string;
        kind: TBroadcastKind;
        subject: string;
        body: string;
        createdBy: string | null;
        dedupeKey: string | null;
      },
    ) =>
      trx
        .insertInto('broadcasts')
        .values({
          event_id: values.eventId,
          kind: values.kind,
          subject: values.subject,
          body: values.body,
          created_by: values.createdBy,
          dedupe_key: values.dedupeKey,
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning('id')
        .executeTakeFirst(),

    findById: (db: TDb, id: number) =>
      db
        .selectFrom('broadcasts')
        .innerJoin('events', 'events.id', 'broadcasts.event_id')
        .select([
          'broadcasts.id',
          'broadcasts.event_id',
          'broadcasts.kind',
          'broadcasts.subject',
          'broadcasts.body',
          'broadcasts.fanned_out_at',
          'events.organizer_id',
          'events.title',
          'events.slug',
        ])
        .where('broadcasts.id', '=', id)
        .executeTakeFirst(),

    /** Broadcasts of an event, newest first, with delivery counts per status. */
    listForEvent: (db: TDb, eventId: string) =>
      db
        .selectFrom('broadcasts')
        .leftJoin('broadcast_deliveries as d', 'd.broadcast_id', 'broadcasts.id')
        .select((eb) => [
          'broadcasts.id',
          'broadcasts.event_id',
          'broadcasts.kind',
          'broadcasts.subject',
          'broadcasts.body',
          'broadcasts.created_at',
          'broadcasts.fanned_out_at',
          eb.fn.count<number>('d.id').as('recipients'),
          sql<number>`count(*) FILTER (WHERE d.status = 'pending')`.as('pending'),
          sql<number>`count(*) FILTER (WHERE d.status = 'sent')`.as('sent'),
          sql<number>`count(*) FILTER (WHERE d.status = 'failed')`.as('failed'),
          sql<number>`count(*) FILTER (WHERE d.status = 'sending')`.as('sending'),
        ])
        .where('broadcasts.event_id', '=', eventId)
        .groupBy('broadcasts.id')
        .orderBy('broadcasts.created_at', 'desc')
        .orderBy('broadcasts.id', 'desc')
        .limit(100)
        .execute(),

    /**
     * Writes one delivery row per recipient in a single statement, so a fan-out is all or
     * nothing; the unique (broadcast, email) key makes running it again harmless. Returns the
     * number of recipients.
     */
    async insertDeliveries(
      trx: TDb,
      broadcast: { id: number; eventId: string; organizerId: string },
      audience: TAudience,
      now: Date,
    ): Promise<number> {
      const eventTopic = `event:${broadcast.eventId}`;
      const organizerTopic = `organizer:${broadcast.organizerId}`;
      const topics = audience.isForOrganizerFollowers ? [eventTopic, organizerTopic] : [eventTopic];
      await sql`
        INSERT INTO broadcast_deliveries (broadcast_id, email, topic)
        SELECT DISTINCT ON (email) ${broadcast.id}::bigint, email, topic
        FROM (
          SELECT lower(t.attendee_email) AS email, ${eventTopic} AS topic, 1 AS rank
          FROM tickets t
          WHERE ${audience.isForHolders} AND t.event_id = ${broadcast.eventId}
            AND t.status = 'valid' AND t.attendee_email IS NOT NULL
          UNION ALL
          SELECT lower(u.email), ${eventTopic}, 1
          FROM orders o JOIN users u ON u.id = o.user_id
          WHERE ${audience.isForHolders} AND o.event_id = ${broadcast.eventId} AND o.status = 'paid'
          UNION ALL
          SELECT s.email, s.topic, 2
          FROM subscriptions s
          WHERE ${audience.isForSubscribers} AND s.status = 'confirmed' AND s.topic IN (${sql.join(topics)})
        ) AS candidates
        WHERE rank = 2 OR NOT ${audience.isOptOutRespectedForHolders} OR NOT EXISTS (
          SELECT 1 FROM subscriptions opt_out
          WHERE opt_out.email = candidates.email AND opt_out.topic = ${eventTopic}
            AND opt_out.status = 'unsubscribed'
        )
        ORDER BY email, rank
        ON CONFLICT (broadcast_id, email) DO NOTHING`.execute(trx);
      await trx
        .updateTable('broadcasts')
        .set({ fanned_out_at: now })
        .where('id', '=', broadcast.id)
        .execute();
      const { count } = await trx
        .selectFrom('broadcast_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('broadcast_id', '=', broadcast.id)
        .executeTakeFirstOrThrow();
      return Number(count);
    },

    /**
     * Claims the next pending delivery of a broadcast. The claim commits before the mail is
     * handed over, and only pending rows are claimed, so no recipient is sent a broadcast twice.
     */
    claimNext: (db: TDb, broadcastId: number) =>
      sql<{ id: number; email: string; topic: string; attempts: number }>`
        UPDATE broadcast_deliveries SET status = 'sending', attempts = attempts + 1
        WHERE id = (
          SELECT id FROM broadcast_deliveries
          WHERE broadcast_id = ${broadcastId} AND status = 'pending'
          ORDER BY id LIMIT 1
          FOR UPDATE SKIP LOCKED
        )
        RETURNING id, email, topic, attempts`
        .execute(db)
        .then((r) => r.rows[0]),

    markSent: (db: TDb, id: number, now: Date) =>
      db
        .updateTable('broadcast_deliveries')
        .set({ status: 'sent', sent_at: now })
        .where('id', '=', id)
        .execute(),

    /** The mail service refused the message: nothing was sent, so it may be tried again. */
    markRefused: (db: TDb, id: number, isFinal: boolean) =>
      db
        .updateTable('broadcast_deliveries')
        .set({ status: isFinal ? 'failed' : 'pending' })
        .where('id', '=', id)
        .execute(),
  };
}

export type TBroadcastsRepository = ReturnType<typeof createBroadcastsRepository>;
