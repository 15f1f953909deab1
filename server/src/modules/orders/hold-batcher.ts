import { sql } from 'kysely';
import type { TDb } from '../../adapters/database/database.js';
import type { TAttendee } from '../../adapters/database/schema.js';
import type { TClock } from '../../lib/clock.js';

/** One buyer's request for a hold: a pending order for these items, all or nothing. */
export type THoldRequest = {
  eventId: string;
  userId: string;
  totalCents: number;
  currency: string;
  expiresAt: Date;
  idempotencyKey: string | null;
  requestHash: string;
  attendees: TAttendee[];
  items: { ticketTypeId: string; quantity: number; unitPriceCents: number }[];
};

export type THoldOutcome =
  | { outcome: 'held'; orderId: string; createdAt: Date }
  /** This user's Idempotency-Key already has an order (the caller answers with it). */
  | { outcome: 'key_used' }
  | { outcome: 'sold_out'; ticketTypeId: string; available: number };

type TWaiting = {
  request: THoldRequest;
  resolve: (outcome: THoldOutcome) => void;
  reject: (error: unknown) => void;
};

type TRow = {
  request_index: number;
  outcome: 'held' | 'key_used' | 'sold_out';
  new_order_id: string | null;
  new_created_at: Date | string | null;
  short_ticket_type_id: string | null;
  seats_left: number | null;
};

/** More than this many waiting requests go in the next batch. */
const MAX_BATCH = 250;

/**
 * Coalesces concurrent holds of the same ticket types into one database call (`take_holds`, one
 * statement and so one transaction): the counter row every buyer of a type needs is written once
 * per batch rather than once per order, and its lock never waits on a network round trip.
 *
 * Requests for the same set of ticket types queue behind the batch in flight on this instance
 * and go together in the next one; other ticket types (of the same event or another) have their
 * own queues and run in parallel. If a batch fails, its requests are retried one by one, so one
 * request that the database refuses cannot fail the others. One queue at a time keeps its pooled
 * connection while it has requests, so during a flash sale a hold waits for the pool at most once
 * per burst, not once per batch.
 */
export function createHoldBatcher(db: TDb, clock: TClock) {
  const queues = new Map<string, { waiting: TWaiting[]; isRunning: boolean }>();
  /** The queue that keeps a pooled connection between its batches (at most one). */
  let connectionHolder: string | null = null;

  async function takeHolds(conn: TDb, requests: THoldRequest[]): Promise<THoldOutcome[]> {
    const payload = requests.map((r) => ({
      ...r,
      expiresAt: r.expiresAt.toISOString(),
    }));
    const { rows } =
      await sql<TRow>`SELECT * FROM take_holds(${JSON.stringify(payload)}::jsonb, ${clock.now()})`.execute(
        conn,
      );
    if (rows.length !== requests.length)
      throw new Error('take_holds answered for some requests only');
    const outcomes: THoldOutcome[] = [];
    for (const row of rows) {
      const i = row.request_index - 1;
      if (row.outcome === 'held' && row.new_order_id && row.new_created_at)
        outcomes[i] = {
          outcome: 'held',
          orderId: row.new_order_id,
          createdAt: new Date(row.new_created_at),
        };
      else if (row.outcome === 'sold_out' && row.short_ticket_type_id)
        outcomes[i] = {
          outcome: 'sold_out',
          ticketTypeId: row.short_ticket_type_id,
          available: Math.max(0, row.seats_left ?? 0),
        };
      else outcomes[i] = { outcome: 'key_used' };
    }
    return outcomes;
  }

  async function runBatches(conn: TDb, queue: { waiting: TWaiting[] }) {
    while (queue.waiting.length) {
      const batch = queue.waiting.splice(0, MAX_BATCH);
      try {
        const outcomes = await takeHolds(
          conn,
          batch.map((w) => w.request),
        );
        batch.forEach((w, i) => w.resolve(outcomes[i] as THoldOutcome));
      } catch (error) {
        if (batch.length === 1) batch[0]?.reject(error);
        else
          for (const w of batch) {
            try {
              const [outcome] = await takeHolds(conn, [w.request]);
              w.resolve(outcome as THoldOutcome);
            } catch (single) {
              w.reject(single);
            }
          }
      }
    }
  }

  async function drain(key: string) {
    const queue = queues.get(key);
    if (!queue || queue.isRunning) return;
    queue.isRunning = true;
    try {
      if (connectionHolder === null) {
        // One pooled connection for as long as requests keep coming: under a burst the batches
        // follow each other without queueing for the pool again (behind every payment) in
        // between. Checked again once it is returned, for requests that arrived meanwhile. Only
        // one queue per instance keeps a connection, so several hot sales at once cannot take
        // the pool from payments: the others wait for the pool once per batch.
        connectionHolder = key;
        try {
          while (queue.waiting.length)
            await db.connection().execute((conn) => runBatches(conn, queue));
        } finally {
          connectionHolder = null;
        }
      } else await runBatches(db, queue);
    } catch (error) {
      // No connection to be had (the pool's wait limit, PostgreSQL unreachable): every waiting
      // request gets the error rather than waiting for ever.
      for (const w of queue.waiting.splice(0)) w.reject(error);
    } finally {
      queue.isRunning = false;
      queues.delete(key);
    }
  }

  return {
    /** Takes the seats of one request (in the next batch for its ticket types). */
    take(request: THoldRequest): Promise<THoldOutcome> {
      const key = request.items
        .map((i) => i.ticketTypeId)
        .sort()
        .join(',');
      return new Promise<THoldOutcome>((resolve, reject) => {
        const queue = queues.get(key) ?? { waiting: [], isRunning: false };
        queues.set(key, queue);
        queue.waiting.push({ request, resolve, reject });
        void drain(key);
      });
    },
  };
}

export type THoldBatcher = ReturnType<typeof createHoldBatcher>;
