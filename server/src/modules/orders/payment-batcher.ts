import type { TDb } from '../../adapters/database/database.js';
import { createBatcher } from '../../lib/batcher.js';
import type { TOrdersRepository, TPaymentClaim, TPaymentWrites } from './orders.repository.js';

/**
 * Coalesces the two statements of concurrent card payments (lib/batcher.ts): the claims of
 * payments starting while one claim statement is in flight go together in the next, and so do
 * the final writes (`payPending`) of payments completing meanwhile. Under a flash sale that is one
 * round trip and one commit for many payments instead of one each. Orders of different events
 * share the queues: each payment's rows are written only if its own order qualifies.
 */
export function createPaymentBatcher(db: TDb, repo: TOrdersRepository) {
  const claims = createBatcher((batch: TPaymentClaim[]) => repo.claimForPayment(db, batch));
  const writes = createBatcher((batch: TPaymentWrites[]) => repo.payPending(db, batch));
  return {
    /** The claimed order with its items and buyer, or undefined if it could not be claimed. */
    claim: (claim: TPaymentClaim) => claims.call(claim),
    /** Marks the order paid with its writes if still pending; its tickets, or none if it was not. */
    pay: (paid: TPaymentWrites) => writes.call(paid),
  };
}
