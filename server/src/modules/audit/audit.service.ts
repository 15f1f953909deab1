import { z } from 'zod';
import type { TDb } from '../../adapters/database/database.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import type { TActor } from '../auth/actor.js';
import { requirePermission } from '../organizers/organizer-access.js';
import type { TAuditQuery } from './audit.schema.js';
import type { TAuditRepository } from './audit.repository.js';

export function createAuditService(deps: { db: TDb; repo: TAuditRepository }) {
  const { db, repo } = deps;
  return {
    /** The organizer's audit log, newest first; owners and managers only. */
    async listAuditLog(actor: TActor, organizerId: string, query: TAuditQuery) {
      await requirePermission(db, actor, organizerId, 'audit:read');
      const beforeId = decodeCursor(query.cursor, z.number().int().positive());
      const rows = await repo.list(db, organizerId, beforeId, query.limit);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map((row) => ({
          id: row.id,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          actor: row.actor_user_id
            ? { userId: row.actor_user_id, email: row.actor_email ?? '' }
            : null,
          before: row.before,
          after: row.after,
          createdAt: row.created_at.toISOString(),
        })),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
      };
    },
  };
}

export type TAuditService = ReturnType<typeof createAuditService>;
