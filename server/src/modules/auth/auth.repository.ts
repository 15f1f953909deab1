import { sql } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';

/** SQL for sign-in codes and sessions. */
export function createAuthRepository() {
  return {
    /** Replaces any earlier code for the address: only the newest code works. */
    async saveCode(db: TDb, email: string, codeHash: string, expiresAt: Date) {
      await db
        .insertInto('otp_codes')
        .values({
          email,
          code_hash: codeHash,
          expires_at: expiresAt,
          attempts: 0,
          consumed_at: null,
        })
        .onConflict((oc) =>
          oc.column('email').doUpdateSet({
            code_hash: codeHash,
            expires_at: expiresAt,
            attempts: 0,
            consumed_at: null,
            created_at: sql`now()`,
          }),
        )
        .execute();
    },

    findCode(db: TDb, email: string) {
      return db.selectFrom('otp_codes').selectAll().where('email', '=', email).executeTakeFirst();
    },

    /**
     * Spends one try before the code is compared. Doing it as one conditional UPDATE means
     * parallel guesses cannot together exceed the limit: each one takes a try or gets nothing.
     */
    async takeAttempt(db: TDb, email: string, now: Date, maxAttempts: number) {
      return db
        .updateTable('otp_codes')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('email', '=', email)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', now)
        .where('attempts', '<', maxAttempts)
        .returning(['code_hash', 'attempts'])
        .executeTakeFirst();
    },

    /** Marks the code used; only one of two simultaneous correct submissions gets a row back. */
    async consumeCode(db: TDb, email: string, codeHash: string, now: Date) {
      const row = await db
        .updateTable('otp_codes')
        .set({ consumed_at: now })
        .where('email', '=', email)
        .where('code_hash', '=', codeHash)
        .where('consumed_at', 'is', null)
        .returning('email')
        .executeTakeFirst();
      return row !== undefined;
    },

    async upsertUser(db: TDb, email: string) {
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

    async createSession(
      db: TDb,
      session: {
        userId: string;
        tokenHash: string;
        expiresAt: Date;
        userAgent: string | null;
        ip: string | null;
      },
    ) {
      return db
        .insertInto('sessions')
        .values({
          user_id: session.userId,
          token_hash: session.tokenHash,
          expires_at: session.expiresAt,
          user_agent: session.userAgent,
          ip: session.ip,
        })
        .returning(['id', 'expires_at'])
        .executeTakeFirstOrThrow();
    },

    findLiveSession(db: TDb, tokenHash: string, now: Date) {
      return db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.id as session_id',
          'sessions.last_seen_at',
          'sessions.expires_at',
          'users.id as user_id',
          'users.email',
          'users.is_admin',
        ])
        .where('sessions.token_hash', '=', tokenHash)
        .where('sessions.revoked_at', 'is', null)
        .where('sessions.expires_at', '>', now)
        .executeTakeFirst();
    },

    async touchSession(db: TDb, sessionId: string, now: Date, expiresAt: Date) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: now, expires_at: expiresAt })
        .where('id', '=', sessionId)
        .where('revoked_at', 'is', null)
        .execute();
    },

    /** Revokes a session; returns its token hash (to forget it in caches), or null if unknown. */
    async revokeSession(db: TDb, sessionId: string, now: Date): Promise<string | null> {
      const row = await db
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('id', '=', sessionId)
        .returning('token_hash')
        .executeTakeFirst();
      return row?.token_hash ?? null;
    },
  };
}

export type TAuthRepository = ReturnType<typeof createAuthRepository>;
