import type { TDb } from '../../adapters/database/database.js';
import type { TUsersTable } from '../../adapters/database/schema.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import type { Selectable } from 'kysely';
import type { TActor } from '../auth/actor.js';
import { requireUser } from '../auth/auth.service.js';
import type { TUser, TUpdateMe } from './users.schema.js';
import type { TUsersRepository } from './users.repository.js';

export function presentUser(row: Selectable<TUsersTable>): TUser {
  return { id: row.id, email: row.email, name: row.name, isAdmin: row.is_admin };
}

export function createUsersService(deps: { db: TDb; repo: TUsersRepository; clock: TClock }) {
  const { db, repo, clock } = deps;
  return {
    async getMe(actor: TActor): Promise<TUser> {
      const { userId } = requireUser(actor);
      const row = await repo.findById(db, userId);
      if (!row) throw new AppError('unauthenticated');
      return presentUser(row);
    },

    async updateMe(actor: TActor, input: TUpdateMe): Promise<TUser> {
      const { userId } = requireUser(actor);
      return presentUser(await repo.updateName(db, userId, input.name, clock.now()));
    },

    /** The CLI's `create-admin`: makes the address a platform administrator, creating the account if needed. */
    async createAdmin(email: string): Promise<TUser> {
      return db.transaction().execute(async (trx) => {
        const user = await repo.findOrCreateByEmail(trx, email);
        await repo.setAdmin(trx, user.id);
        return presentUser({ ...user, is_admin: true });
      });
    },
  };
}

export type TUsersService = ReturnType<typeof createUsersService>;
