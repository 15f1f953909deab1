import type { TActivityStore } from '../../adapters/activity/activity-store.js';
import type { TRateLimiter } from '../../adapters/cache/rate-limiter.js';
import type { TDb } from '../../adapters/database/database.js';
import type { TClock } from '../../lib/clock.js';
import type { TActor } from '../auth/actor.js';
import type { TActivityItem, TActivityType } from './activity.schema.js';

export type TServerActivity = {
  type: TActivityType;
  eventId: string;
  userId: string | null;
  at: Date;
  metadata?: Record<string, unknown>;
};

/**
 * The `activity` row of an activity the server observed, metadata as an object. For a statement
 * that writes it together with other rows (orders.repository.ts `payPending`).
 */
export function serverActivityRow(entry: TServerActivity) {
  return {
    type: entry.type,
    event_id: entry.eventId,
    user_id: entry.userId,
    metadata: entry.metadata ?? {},
    occurred_at: entry.at,
  };
}

/** Records an activity the server observed (a purchase, a check-in) in the caller's transaction. */
export async function recordServerActivity(db: TDb, entry: TServerActivity): Promise<void> {
  const row = serverActivityRow(entry);
  await db
    .insertInto('activity')
    .values({ ...row, metadata: JSON.stringify(row.metadata) })
    .execute();
}

/**
 * The activity log (the seed's `/log-activity`). It is called on every page view, so a batch is
 * one write to the activity store and nothing else; analytics aggregate later, when asked.
 */
export function createActivityService(deps: {
  store: TActivityStore;
  rateLimiter: TRateLimiter;
  clock: TClock;
}) {
  const { store, rateLimiter, clock } = deps;
  return {
    async record(actor: TActor, items: TActivityItem[], ip: string): Promise<number> {
      await rateLimiter.consume(`activity-ip:${ip}`, 600, 60_000);
      const now = clock.now();
      await store.append(
        items.map((item) => ({
          type: item.type,
          eventId: item.eventId ?? null,
          userId: actor?.userId ?? null,
          visitorId: item.visitorId ?? null,
          metadata: item.metadata ?? {},
          occurredAt: now,
        })),
      );
      return items.length;
    },
  };
}

export type TActivityService = ReturnType<typeof createActivityService>;
