import type { TDb } from '../../adapters/database/database.js';
import type { TTicketRow } from '../tickets/tickets.repository.js';
import type { TOrdersRepository, TPaymentWrites } from './orders.repository.js';

type TWaiting = {
  writes: TPaymentWrites;
  resolve: (tickets: TTicketRow[]) => void;
  reject: (error: unknown) => void;
};

/** More than this many waiting payments go in the next batch. */
const MAX_BATCH = 100;

/**
 * Coalesces the final writes of concurrent card payments (`payPending`) into one statement: while
 * one batch is in flight, the payments that complete meanwhile wait and go together in the next.
 * Under a flash sale that is one round trip and one commit for many payments instead of one each.
 * A payment alone goes at once. If a batch fails, its payments are retried one by one, so one
 * payment the database refuses cannot fail the others. Orders of different events share the
 * queue: each payment's rows are written only if its own order was still pending.
 */
export function createPaymentBatcher(db: TDb, repo: TOrdersRepository) {
  const waiting: TWaiting[] = [];
  let isRunning = false;

  async function drain() {
    if (isRunning) return;
    isRunning = true;
    try {
      while (waiting.length) {
        const batch = waiting.splice(0, MAX_BATCH);
        try {
          const tickets = await repo.payPending(
            db,
            batch.map((w) => w.writes),
          );
          const byOrder = new Map<string, TTicketRow[]>();
          for (const t of tickets) byOrder.set(t.order_id, [...(byOrder.get(t.order_id) ?? []), t]);
          for (const w of batch) w.resolve(byOrder.get(w.writes.orderId) ?? []);
        } catch (error) {
          if (batch.length === 1) batch[0]?.reject(error);
          else
            await Promise.all(
              batch.map((w) => repo.payPending(db, [w.writes]).then(w.resolve, w.reject)),
            );
        }
      }
    } finally {
      isRunning = false;
    }
  }

  return {
    /** Marks the order paid with its writes if still pending; its tickets, or none if it was not. */
    pay(writes: TPaymentWrites): Promise<TTicketRow[]> {
      return new Promise<TTicketRow[]>((resolve, reject) => {
        waiting.push({ writes, resolve, reject });
        void drain();
      });
    },
  };
}
