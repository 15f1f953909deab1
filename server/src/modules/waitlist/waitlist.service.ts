import type { TRateLimiter } from '../../adapters/cache/rate-limiter.js';
import type { TDb } from '../../adapters/database/database.js';
import { enqueueJob } from '../../adapters/jobs/job-queue.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import { hmacBase64Url, sha256Hex } from '../../lib/hashing.js';
import type { TEventsRepository } from '../events/events.repository.js';
import type { TInventoryRepository } from '../orders/inventory.repository.js';
import type { TTicketTypesRepository } from '../ticket-types/ticket-types.repository.js';
import type { TWaitlistRepository } from './waitlist.repository.js';

export type TWaitlistServiceDeps = {
  db: TDb;
  repo: TWaitlistRepository;
  inventory: TInventoryRepository;
  ticketTypes: TTicketTypesRepository;
  events: TEventsRepository;
  rateLimiter: TRateLimiter;
  clock: TClock;
  settings: { appSecret: string; offerTtlMs: number };
};

export function createWaitlistService(deps: TWaitlistServiceDeps) {
  const { db, repo, inventory, ticketTypes, events, rateLimiter, clock, settings } = deps;

  /**
   * The claim token is derived, not stored: HMAC of the entry and its offer deadline. Only its
   * hash is kept, so a re-sent offer e-mail carries the same link and a database leak none.
   */
  const claimToken = (entryId: number, offerExpiresAt: Date) =>
    hmacBase64Url(settings.appSecret, `waitlist:${entryId}:${offerExpiresAt.getTime()}`);

  /**
   * Gives seats back to sale, first in line first: up to `fromHeld + fromSold` seats go to
   * waiting people as time-limited offers (they stay counted as held), the rest become
   * available. Call inside the transaction that frees the seats.
   */
  async function releaseSeats(
    trx: TDb,
    ticketTypeId: string,
    seats: { fromHeld: number; fromSold: number },
  ): Promise<number> {
    const now = clock.now();
    const count = seats.fromHeld + seats.fromSold;
    const next = count > 0 ? await repo.takeNextWaiting(trx, ticketTypeId, count) : [];
    const offerExpiresAt = new Date(now.getTime() + settings.offerTtlMs);
    for (const entry of next) {
      await repo.markOffered(
        trx,
        entry.id,
        offerExpiresAt,
        sha256Hex(claimToken(entry.id, offerExpiresAt)),
        now,
      );
      await enqueueJob(trx, clock, {
        kind: 'mail.send',
        dedupeKey: `waitlist-offer:${entry.id}`,
        payload: { template: 'waitlist_offer', entryId: entry.id },
      });
    }
    await inventory.release(trx, ticketTypeId, { ...seats, keptForWaitlist: next.length });
    return next.length;
  }

  return {
    claimToken,
    hashClaimToken: (token: string) => sha256Hex(token),

    /** Joins the waiting list of a sold-out ticket type; joining twice is harmless. */
    async join(ticketTypeId: string, email: string, ip: string) {
      await rateLimiter.consume(`waitlist-ip:${ip}`, 30, 3_600_000);
      const type = await ticketTypes.findById(db, ticketTypeId);
      const event = type ? await events.findById(db, type.event_id) : undefined;
      if (!type || !event || event.status !== 'published' || type.hidden)
        throw new AppError('not_found', { resource: 'ticket_type' });
      if (type.capacity - type.sold - type.held > 0)
        throw new AppError('tickets_available', {
          available: type.capacity - type.sold - type.held,
        });
      return db.transaction().execute(async (trx) => {
        const entry =
          (await repo.insertIfAbsent(trx, ticketTypeId, email)) ??
          (await repo.findLive(trx, ticketTypeId, email));
        if (!entry) throw new Error('waitlist entry vanished');
        if (entry.status === 'waiting') {
          await enqueueJob(trx, clock, {
            kind: 'mail.send',
            dedupeKey: `waitlist-joined:${entry.id}`,
            payload: { template: 'waitlist_joined', entryId: entry.id },
          });
        }
        return {
          status: entry.status,
          position:
            entry.status === 'waiting' ? await repo.position(trx, ticketTypeId, entry.id) : 0,
        };
      });
    },

    releaseSeats,

    /** Sweep: offers nobody claimed in time lapse, and their seat goes to the next in line. */
    async lapseExpiredOffers(): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const lapsed = await repo.takeLapsedOffers(trx, clock.now(), 50);
        for (const entry of lapsed) {
          await repo.markLapsed(trx, entry.id, clock.now());
          await releaseSeats(trx, entry.ticket_type_id, { fromHeld: 1, fromSold: 0 });
        }
        return lapsed.length;
      });
    },
  };
}

export type TWaitlistService = ReturnType<typeof createWaitlistService>;
