import { createMemo } from '../../adapters/cache/memo.js';
import type { TDb } from '../../adapters/database/database.js';
import type { TEventStatus } from '../../adapters/database/schema.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import type { TActor } from '../auth/actor.js';
import type { TAuditRepository } from '../audit/audit.repository.js';
import type { TEventsRepository } from '../events/events.repository.js';
import { PUBLIC_READ_REFRESH_MS, PUBLIC_READ_TTL_MS } from '../events/events.service.js';
import { findRole, requirePermission } from '../organizers/organizer-access.js';
import type { TTicketTypeRow, TTicketTypesRepository } from './ticket-types.repository.js';
import type { TCreateTicketType, TTicketType, TUpdateTicketType } from './ticket-types.schema.js';

/** Whether a ticket type can be bought at `now`: event published and inside the sales window. */
export function isOnSale(
  row: Pick<TTicketTypeRow, 'sales_start_at' | 'sales_end_at'>,
  eventStatus: TEventStatus,
  now: Date,
): boolean {
  if (eventStatus !== 'published') return false;
  if (row.sales_start_at && now < row.sales_start_at) return false;
  if (row.sales_end_at && now >= row.sales_end_at) return false;
  return true;
}

export function presentTicketType(
  row: TTicketTypeRow,
  eventStatus: TEventStatus,
  now: Date,
): TTicketType {
  return {
    id: row.id,
    eventId: row.event_id,
    name: row.name,
    description: row.description,
    priceCents: row.price_cents,
    currency: row.currency,
    capacity: row.capacity,
    available: Math.max(0, row.capacity - row.sold - row.held),
    held: row.held,
    sold: row.sold,
    maxPerOrder: row.max_per_order,
    salesStartAt: row.sales_start_at?.toISOString() ?? null,
    salesEndAt: row.sales_end_at?.toISOString() ?? null,
    hidden: row.hidden,
    sortOrder: row.sort_order,
    isOnSale: isOnSale(row, eventStatus, now),
  };
}

export type TTicketTypesServiceDeps = {
  db: TDb;
  repo: TTicketTypesRepository;
  events: TEventsRepository;
  audit: TAuditRepository;
  clock: TClock;
};

export function createTicketTypesService(deps: TTicketTypesServiceDeps) {
  const { db, repo, events, audit, clock } = deps;
  /**
   * What visitors see, per event, for PUBLIC_READ_TTL_MS: the event page polls this for live
   * availability, which may lag that long (sales by this or another instance show within the
   * bound). Writes through this instance clear it at once (see `forgetPublicReads`).
   */
  const publicLists = createMemo<TTicketType[]>(clock, {
    ttlMs: PUBLIC_READ_TTL_MS,
    refreshAfterMs: PUBLIC_READ_REFRESH_MS,
    maxEntries: 5_000,
  });

  async function loadEventForWrite(
    actor: TActor,
    eventId: string,
    resource: 'event' | 'ticket_type' = 'event',
  ) {
    const event = await events.findById(db, eventId);
    if (!event) throw new AppError('not_found', { resource });
    const access = await requirePermission(db, actor, event.organizer_id, 'events:write', resource);
    if (event.status === 'cancelled')
      throw new AppError('event_not_editable', { status: event.status });
    return { event, access };
  }

  async function loadTypeForWrite(actor: TActor, id: string) {
    const row = await repo.findById(db, id);
    if (!row) throw new AppError('not_found', { resource: 'ticket_type' });
    const { event, access } = await loadEventForWrite(actor, row.event_id, 'ticket_type');
    return { row, event, access };
  }

  async function loadTicketTypes(actor: TActor, eventId: string): Promise<TTicketType[]> {
    const event = await events.findById(db, eventId);
    if (!event) throw new AppError('not_found', { resource: 'event' });
    const isMember =
      actor !== null &&
      (actor.isAdmin || (await findRole(db, actor.userId, event.organizer_id)) !== null);
    if (!isMember && event.published_at === null)
      throw new AppError('not_found', { resource: 'event' });
    const rows = await repo.listForEvent(db, eventId, isMember);
    const now = clock.now();
    return rows.map((row) => presentTicketType(row, event.status, now));
  }

  return {
    /**
     * Visitors see the visible types of public events; the organizer's team sees all of them.
     * Anonymous visitors share one memoized list per event (a missing or unpublished event is
     * a 404, which is not remembered, so publishing shows at once).
     */
    listTicketTypes(actor: TActor, eventId: string): Promise<TTicketType[]> {
      if (actor === null) return publicLists.get(eventId, () => loadTicketTypes(null, eventId));
      return loadTicketTypes(actor, eventId);
    },

    /**
     * Drops the shared visitor lists. Called after every successful write through the API
     * (app.ts): orders and event changes alter availability and whether a type is on sale.
     */
    forgetPublicReads() {
      publicLists.clear();
    },

    async createTicketType(
      actor: TActor,
      eventId: string,
      input: TCreateTicketType,
    ): Promise<TTicketType> {
      const { event, access } = await loadEventForWrite(actor, eventId);
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await repo.insert(trx, {
          event_id: eventId,
          name: input.name,
          description: input.description,
          price_cents: input.priceCents,
          currency: input.currency,
          capacity: input.capacity,
          sales_start_at: input.salesStartAt,
          sales_end_at: input.salesEndAt,
          max_per_order: input.maxPerOrder,
          hidden: input.hidden,
          sort_order: input.sortOrder,
        });
        await audit.record(trx, {
          organizerId: event.organizer_id,
          actorUserId: access.actor.userId,
          action: 'ticket_type.create',
          entityType: 'ticket_type',
          entityId: inserted.id,
          after: {
            ...input,
            salesStartAt: input.salesStartAt?.toISOString() ?? null,
            salesEndAt: input.salesEndAt?.toISOString() ?? null,
          },
        });
        return inserted;
      });
      publicLists.clear();
      return presentTicketType(row, event.status, clock.now());
    },

    async updateTicketType(
      actor: TActor,
      id: string,
      input: TUpdateTicketType,
    ): Promise<TTicketType> {
      const { row: before, event, access } = await loadTypeForWrite(actor, id);
      const start = input.salesStartAt !== undefined ? input.salesStartAt : before.sales_start_at;
      const end = input.salesEndAt !== undefined ? input.salesEndAt : before.sales_end_at;
      if (start && end && end <= start) {
        throw new AppError('validation_failed', {
          issues: [{ path: ['salesEndAt'], message: 'salesEndAt must be after salesStartAt' }],
        });
      }
      const row = await db.transaction().execute(async (trx) => {
        if (
          input.currency !== undefined &&
          input.currency !== before.currency &&
          (await repo.hasOrders(trx, id))
        ) {
          throw new AppError('currency_locked');
        }
        const updated = await repo.update(trx, id, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.priceCents !== undefined ? { price_cents: input.priceCents } : {}),
          ...(input.currency !== undefined ? { currency: input.currency } : {}),
          ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
          ...(input.salesStartAt !== undefined ? { sales_start_at: input.salesStartAt } : {}),
          ...(input.salesEndAt !== undefined ? { sales_end_at: input.salesEndAt } : {}),
          ...(input.maxPerOrder !== undefined ? { max_per_order: input.maxPerOrder } : {}),
          ...(input.hidden !== undefined ? { hidden: input.hidden } : {}),
          ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
          updated_at: clock.now(),
        });
        if (!updated) {
          const current = await repo.findById(trx, id);
          throw new AppError('capacity_below_sold', {
            sold: current?.sold ?? 0,
            held: current?.held ?? 0,
          });
        }
        await audit.record(trx, {
          organizerId: event.organizer_id,
          actorUserId: access.actor.userId,
          action: 'ticket_type.update',
          entityType: 'ticket_type',
          entityId: id,
          before: Object.fromEntries(
            Object.keys(input).map((k) => [
              k,
              presentTicketType(before, event.status, clock.now())[k as keyof TTicketType],
            ]),
          ),
          after: input,
        });
        return updated;
      });
      publicLists.clear();
      return presentTicketType(row, event.status, clock.now());
    },

    /** Only a type that was never ordered can go; hide it instead once it has orders. */
    async deleteTicketType(actor: TActor, id: string): Promise<void> {
      const { row, event, access } = await loadTypeForWrite(actor, id);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.deleteIfUnsold(trx, id))) throw new AppError('ticket_type_has_sales');
        await audit.record(trx, {
          organizerId: event.organizer_id,
          actorUserId: access.actor.userId,
          action: 'ticket_type.delete',
          entityType: 'ticket_type',
          entityId: id,
          before: { name: row.name },
        });
      });
      publicLists.clear();
    },
  };
}

export type TTicketTypesService = ReturnType<typeof createTicketTypesService>;
