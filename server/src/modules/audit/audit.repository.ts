import type { TDb } from '../../adapters/database/database.js';

export type TAuditEntry = {
  organizerId: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

export function createAuditRepository() {
  return {
    /** Call inside the transaction that makes the change, so the entry exists exactly when the change does. */
    async record(db: TDb, entry: TAuditEntry) {
      await db
        .insertInto('audit_log')
        .values({
          organizer_id: entry.organizerId,
          actor_user_id: entry.actorUserId,
          action: entry.action,
          entity_type: entry.entityType,
          entity_id: entry.entityId,
          before: entry.before === undefined ? null : JSON.stringify(entry.before),
          after: entry.after === undefined ? null : JSON.stringify(entry.after),
        })
        .execute();
    },

    list(db: TDb, organizerId: string, beforeId: number | undefined, limit: number) {
      let query = db
        .selectFrom('audit_log')
        .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
        .select([
          'audit_log.id',
          'audit_log.action',
          'audit_log.entity_type',
          'audit_log.entity_id',
          'audit_log.before',
          'audit_log.after',
          'audit_log.created_at',
          'audit_log.actor_user_id',
          'users.email as actor_email',
        ])
        .where('audit_log.organizer_id', '=', organizerId)
        .orderBy('audit_log.id', 'desc')
        .limit(limit + 1);
      if (beforeId !== undefined) query = query.where('audit_log.id', '<', beforeId);
      return query.execute();
    },
  };
}

export type TAuditRepository = ReturnType<typeof createAuditRepository>;
