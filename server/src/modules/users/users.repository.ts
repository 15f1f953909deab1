import type { TDb } from '../../adapters/database/database.js';

export function createUsersRepository() {
  return {
    findById: (db: TDb, id: string) =>
      db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),

    findByEmail: (db: TDb, email: string) =>
      db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),

    /** Returns the existing account for the address or creates one (invitations, admin creation). */
    async findOrCreateByEmail(db: TDb, email: string) {
      await db
        .insertInto('users')
        .values({ email })
        .onConflict((oc) => oc.column('email').doNothing())
        .execute();
      return db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
    },

    updateName: (db: TDb, id: string, name: string, now: Date) =>
      db
        .updateTable('users')
        .set({ name, updated_at: now })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow(),

    setAdmin: (db: TDb, id: string) =>
      db.updateTable('users').set({ is_admin: true }).where('id', '=', id).execute(),
  };
}

export type TUsersRepository = ReturnType<typeof createUsersRepository>;
