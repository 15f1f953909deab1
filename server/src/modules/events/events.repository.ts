import { sql, type Insertable, type Updateable } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';
import type { TEventStatus, TEventsTable } from '../../adapters/database/schema.js';

/** The columns an event is presented from, with its organizer. */
const eventColumns = [
  'events.id',
  'events.organizer_id',
  'events.slug',
  'events.title',
  'events.description',
  'events.category',
  'events.tags',
  'events.language',
  'events.age_rating',
  'events.starts_at',
  'events.ends_at',
  'events.timezone',
  'events.venue_name',
  'events.venue_address',
  'events.venue_city',
  'events.venue_country',
  'events.online_url',
  'events.image_key',
  'events.status',
  'events.published_at',
  'events.cancelled_at',
  'events.created_at',
  'events.updated_at',
  'organizers.name as organizer_name',
  'organizers.slug as organizer_slug',
] as const;

const selectEvents = (db: TDb) =>
  db
    .selectFrom('events')
    .innerJoin('organizers', 'organizers.id', 'events.organizer_id')
    .select(eventColumns);

export type TEventRow = Awaited<
  ReturnType<ReturnType<typeof selectEvents>['executeTakeFirstOrThrow']>
>;

export type TPublicEventFilter = {
  tsQuery: string | null;
  category?: string | undefined;
  city?: string | undefined;
  endsAfter: Date;
  startsBefore?: Date | undefined;
  after?: { startsAt: Date; id: string } | undefined;
  limit: number;
};

export function createEventsRepository() {
  return {
    slugsLike: async (db: TDb, base: string) =>
      (
        await db
          .selectFrom('events')
          .select('slug')
          .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
          .execute()
      ).map((r) => r.slug),

    /** Inserts unless the slug is taken (then returns undefined) without aborting the transaction. */
    insertIfSlugFree: (db: TDb, values: Insertable<TEventsTable>) =>
      db
        .insertInto('events')
        .values(values)
        .onConflict((oc) => oc.column('slug').doNothing())
        .returning('id')
        .executeTakeFirst(),

    findById: (db: TDb, id: string) =>
      selectEvents(db).where('events.id', '=', id).executeTakeFirst(),

    findBySlug: (db: TDb, slug: string) =>
      selectEvents(db).where('events.slug', '=', slug).executeTakeFirst(),

    /** Locks one event row while its fields change; never taken on the purchase path. */
    lockById: (db: TDb, id: string) =>
      db
        .selectFrom('events')
        .select(['id', 'organizer_id', 'status'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst(),

    update: (db: TDb, id: string, values: Updateable<TEventsTable>) =>
      db.updateTable('events').set(values).where('id', '=', id).execute(),

    setStatus: (db: TDb, id: string, status: TEventStatus, now: Date) =>
      db
        .updateTable('events')
        .set({
          status,
          updated_at: now,
          ...(status === 'published' ? { published_at: now } : {}),
          ...(status === 'cancelled' ? { cancelled_at: now } : {}),
        })
        .where('id', '=', id)
        .execute(),

    /**
     * Published events in start order, filtered and full-text searched. Keyset pagination on
     * (starts_at, id) keeps pages stable while events are added and uses the public index.
     */
    listPublic(db: TDb, f: TPublicEventFilter) {
      let query = selectEvents(db)
        .where('events.status', '=', 'published')
        .where('events.ends_at', '>=', f.endsAfter)
        .orderBy('events.starts_at')
        .orderBy('events.id')
        .limit(f.limit + 1);
      if (f.tsQuery)
        query = query.where(sql<boolean>`events.search @@ to_tsquery('simple', ${f.tsQuery})`);
      if (f.category) query = query.where('events.category', '=', f.category);
      if (f.city)
        query = query.where(sql<string>`lower(events.venue_city)`, '=', f.city.toLowerCase());
      if (f.startsBefore) query = query.where('events.starts_at', '<', f.startsBefore);
      if (f.after) {
        const { startsAt, id } = f.after;
        query = query.where((eb) =>
          eb.or([
            eb('events.starts_at', '>', startsAt),
            eb.and([eb('events.starts_at', '=', startsAt), eb('events.id', '>', id)]),
          ]),
        );
      }
      return query.execute();
    },

    listForOrganizer(
      db: TDb,
      organizerId: string,
      f: {
        status?: TEventStatus | undefined;
        after?: { startsAt: Date; id: string } | undefined;
        limit: number;
      },
    ) {
      let query = selectEvents(db)
        .where('events.organizer_id', '=', organizerId)
        .orderBy('events.starts_at')
        .orderBy('events.id')
        .limit(f.limit + 1);
      if (f.status) query = query.where('events.status', '=', f.status);
      if (f.after) {
        const { startsAt, id } = f.after;
        query = query.where((eb) =>
          eb.or([
            eb('events.starts_at', '>', startsAt),
            eb.and([eb('events.starts_at', '=', startsAt), eb('events.id', '>', id)]),
          ]),
        );
      }
      return query.execute();
    },
  };
}

export type TEventsRepository = ReturnType<typeof createEventsRepository>;
