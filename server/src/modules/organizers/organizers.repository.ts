import type { TDb } from '../../adapters/database/database.js';
import type { TMemberRole } from '../../adapters/database/schema.js';

export function createOrganizersRepository() {
  return {
    /** Inserts unless the slug is taken (then returns undefined) without aborting the transaction. */
    insertIfSlugFree: (db: TDb, name: string, slug: string) =>
      db
        .insertInto('organizers')
        .values({ name, slug })
        .onConflict((oc) => oc.column('slug').doNothing())
        .returningAll()
        .executeTakeFirst(),

    slugsLike: async (db: TDb, base: string) =>
      (
        await db
          .selectFrom('organizers')
          .select('slug')
          .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
          .execute()
      ).map((r) => r.slug),

    findById: (db: TDb, id: string) =>
      db.selectFrom('organizers').selectAll().where('id', '=', id).executeTakeFirst(),

    /**
     * Locks the organizer row for the rest of the transaction. Membership changes take it so that
     * two owners removing each other at once cannot leave the organizer with none.
     */
    lock: (db: TDb, id: string) =>
      db.selectFrom('organizers').select('id').where('id', '=', id).forUpdate().executeTakeFirst(),

    hasPublishedEvents: async (db: TDb, id: string) =>
      (await db
        .selectFrom('events')
        .select('id')
        .where('organizer_id', '=', id)
        .where('published_at', 'is not', null)
        .limit(1)
        .executeTakeFirst()) !== undefined,

    listForUser: (db: TDb, userId: string) =>
      db
        .selectFrom('organizer_members')
        .innerJoin('organizers', 'organizers.id', 'organizer_members.organizer_id')
        .select(['organizers.id', 'organizers.name', 'organizers.slug', 'organizer_members.role'])
        .where('organizer_members.user_id', '=', userId)
        .orderBy('organizers.name')
        .execute(),

    listMembers: (db: TDb, organizerId: string) =>
      db
        .selectFrom('organizer_members')
        .innerJoin('users', 'users.id', 'organizer_members.user_id')
        .select([
          'users.id',
          'users.email',
          'users.name',
          'organizer_members.role',
          'organizer_members.created_at',
        ])
        .where('organizer_members.organizer_id', '=', organizerId)
        .orderBy('organizer_members.created_at')
        .execute(),

    findMember: (db: TDb, organizerId: string, userId: string) =>
      db
        .selectFrom('organizer_members')
        .innerJoin('users', 'users.id', 'organizer_members.user_id')
        .select([
          'users.id',
          'users.email',
          'users.name',
          'organizer_members.role',
          'organizer_members.created_at',
        ])
        .where('organizer_members.organizer_id', '=', organizerId)
        .where('organizer_members.user_id', '=', userId)
        .executeTakeFirst(),

    /** Returns undefined when the person is already a member. */
    insertMember: (db: TDb, organizerId: string, userId: string, role: TMemberRole) =>
      db
        .insertInto('organizer_members')
        .values({ organizer_id: organizerId, user_id: userId, role })
        .onConflict((oc) => oc.columns(['organizer_id', 'user_id']).doNothing())
        .returningAll()
        .executeTakeFirst(),

    updateMemberRole: (db: TDb, organizerId: string, userId: string, role: TMemberRole) =>
      db
        .updateTable('organizer_members')
        .set({ role })
        .where('organizer_id', '=', organizerId)
        .where('user_id', '=', userId)
        .execute(),

    deleteMember: (db: TDb, organizerId: string, userId: string) =>
      db
        .deleteFrom('organizer_members')
        .where('organizer_id', '=', organizerId)
        .where('user_id', '=', userId)
        .execute(),

    countOwners: async (db: TDb, organizerId: string) =>
      (
        await db
          .selectFrom('organizer_members')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('organizer_id', '=', organizerId)
          .where('role', '=', 'owner')
          .executeTakeFirstOrThrow()
      ).count,
  };
}

export type TOrganizersRepository = ReturnType<typeof createOrganizersRepository>;
