import { sql } from 'kysely';
import type { TDb } from '../database/database.js';
import type { TActivityStore } from './activity-store.js';

/** The activity log in PostgreSQL's `activity` table: one multi-row INSERT per batch. */
export function createDatabaseActivityStore(db: TDb): TActivityStore {
  return {
    kind: 'database',
    async append(records) {
      if (records.length === 0) return;
      await db
        .insertInto('activity')
        .values(
          records.map((r) => ({
            type: r.type,
            event_id: r.eventId,
            user_id: r.userId,
            visitor_id: r.visitorId,
            metadata: JSON.stringify(r.metadata),
            occurred_at: r.occurredAt,
          })),
        )
        .execute();
    },
    async eventViews(eventId, timezone) {
      const visitor = sql`coalesce('u:' || user_id::text, 'v:' || visitor_id)`;
      const totals = await sql<{ views: number; visitors: number }>`
        SELECT count(*) AS views, count(DISTINCT ${visitor}) AS visitors
        FROM activity WHERE event_id = ${eventId} AND type = 'event_view'`.execute(db);
      const daily = await sql<{ date: string; views: number; visitors: number }>`
        SELECT to_char(occurred_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS date,
               count(*) AS views, count(DISTINCT ${visitor}) AS visitors
        FROM activity WHERE event_id = ${eventId} AND type = 'event_view'
        GROUP BY 1 ORDER BY 1`.execute(db);
      return {
        views: Number(totals.rows[0]?.views ?? 0),
        uniqueVisitors: Number(totals.rows[0]?.visitors ?? 0),
        daily: daily.rows.map((d) => ({
          date: d.date,
          views: Number(d.views),
          uniqueVisitors: Number(d.visitors),
        })),
      };
    },
    async ping() {
      await sql`SELECT 1`.execute(db);
    },
  };
}
