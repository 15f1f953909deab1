import { z } from 'zod';
import type { TDb } from '../../adapters/database/database.js';
import type { TStorage } from '../../adapters/storage/storage.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { sha256Hex } from '../../lib/hashing.js';
import type { TActor } from '../auth/actor.js';
import { requireUser } from '../auth/auth.service.js';
import { findRole } from '../organizers/organizer-access.js';
import type { TTicketPdfPage } from './ticket-pdf.js';

/** pdfkit and its fonts are large: loaded on the first PDF, not with every process (or Lambda). */
const renderTicketPdf = async (pages: TTicketPdfPage[]) =>
  (await import('./ticket-pdf.js')).renderTicketPdf(pages);
import { renderTicketQr } from './ticket-qr.js';
import type { TTicket, TTicketDetail, TTicketListQuery } from './tickets.schema.js';
import type { TTicketRow, TTicketsRepository } from './tickets.repository.js';

const ZTicketCursor = z.object({ c: z.iso.datetime(), i: z.uuid() });

export function presentTicket(row: TTicketRow): TTicket {
  return {
    id: row.id,
    orderId: row.order_id,
    eventId: row.event_id,
    ticketTypeId: row.ticket_type_id,
    code: row.code,
    status: row.status,
    attendeeName: row.attendee_name,
    attendeeEmail: row.attendee_email,
    checkedInAt: row.checked_in_at?.toISOString() ?? null,
  };
}

type TDetailedRow = NonNullable<Awaited<ReturnType<TTicketsRepository['findDetailed']>>>;

function placeOf(
  row: Pick<
    TDetailedRow,
    'venue_name' | 'venue_address' | 'venue_city' | 'venue_country' | 'online_url'
  >,
): string {
  return row.venue_name
    ? [row.venue_name, row.venue_address, row.venue_city, row.venue_country]
        .filter(Boolean)
        .join(', ')
    : (row.online_url ?? 'Online');
}

function presentDetail(row: TDetailedRow): TTicketDetail {
  return {
    ...presentTicket(row),
    ticketTypeName: row.ticket_type_name,
    event: {
      id: row.event_id,
      title: row.event_title,
      slug: row.event_slug,
      startsAt: row.event_starts_at.toISOString(),
      endsAt: row.event_ends_at.toISOString(),
      timezone: row.event_timezone,
      status: row.event_status,
      place: placeOf(row),
    },
  };
}

export type TTicketsServiceDeps = {
  db: TDb;
  repo: TTicketsRepository;
  storage: TStorage;
  clock: TClock;
  settings: { signedUrlTtlMs: number };
};

export function createTicketsService(deps: TTicketsServiceDeps) {
  const { db, repo, storage, clock, settings } = deps;

  /** The buyer, the named attendee and the organizer's team may see a ticket; anyone else gets 404. */
  async function loadVisible(actor: TActor, id: string): Promise<TDetailedRow> {
    const user = requireUser(actor);
    const row = await repo.findDetailed(db, id);
    if (!row) throw new AppError('not_found', { resource: 'ticket' });
    const isHolder = row.buyer_user_id === user.userId || row.attendee_email === user.email;
    if (
      !isHolder &&
      !user.isAdmin &&
      (await findRole(db, user.userId, row.organizer_id)) === null
    ) {
      throw new AppError('not_found', { resource: 'ticket' });
    }
    return row;
  }

  /** Stores the ticket's QR PNG once (named by a hash of its code) and returns its storage key. */
  async function ensureQr(row: TTicketRow): Promise<string> {
    const key = `tickets/${row.id}/qr-${sha256Hex(row.code).slice(0, 16)}.png`;
    if (row.qr_key === key) return key;
    await storage.put(key, await renderTicketQr(row.code), 'image/png');
    await repo.setQrKey(db, row.id, key);
    return key;
  }

  function pdfPages(rows: TDetailedRow[]): TTicketPdfPage[] {
    return rows.map((row) => ({
      eventTitle: row.event_title,
      startsAt: row.event_starts_at,
      endsAt: row.event_ends_at,
      timezone: row.event_timezone,
      place: placeOf(row),
      attendeeName: row.attendee_name,
      attendeeEmail: row.attendee_email,
      ticketTypeName: row.ticket_type_name,
      ticketId: row.id,
      orderId: row.order_id,
      status: row.status,
      code: row.code,
    }));
  }

  return {
    async getTicket(actor: TActor, id: string): Promise<TTicketDetail> {
      return presentDetail(await loadVisible(actor, id));
    },

    /** Tickets the caller bought or that carry their e-mail address, newest first. */
    async listMyTickets(actor: TActor, query: TTicketListQuery) {
      const user = requireUser(actor);
      const before = decodeCursor(query.cursor, ZTicketCursor);
      const ids = await repo.listIdsForHolder(
        db,
        user.userId,
        user.email,
        before ? { createdAt: new Date(before.c), id: before.i } : undefined,
        query.limit,
      );
      const page = ids.slice(0, query.limit);
      const byId = new Map(
        (
          await repo.listDetailed(
            db,
            page.map((r) => r.id),
          )
        ).map((r) => [r.id, r]),
      );
      const rows = page.map((r) => byId.get(r.id));
      const last = page.at(-1);
      return {
        items: rows.filter((r): r is TDetailedRow => r !== undefined).map(presentDetail),
        nextCursor:
          ids.length > query.limit && last
            ? encodeCursor({ c: last.created_at.toISOString(), i: last.id })
            : null,
      };
    },

    /** A time-limited signed URL of the ticket's QR PNG (stored through the storage port). */
    async getTicketQrUrl(actor: TActor, id: string) {
      const row = await loadVisible(actor, id);
      const key = await ensureQr(row);
      const signed = await storage.signedUrl(
        key,
        new Date(clock.now().getTime() + settings.signedUrlTtlMs),
      );
      return { url: signed.url, expiresAt: signed.expiresAt.toISOString() };
    },

    async getTicketPdf(actor: TActor, id: string): Promise<{ filename: string; pdf: Buffer }> {
      const row = await loadVisible(actor, id);
      return {
        filename: `ticket-${row.event_slug}-${row.id.slice(0, 8)}.pdf`,
        pdf: await renderTicketPdf(pdfPages([row])),
      };
    },

    /** All tickets of an order in one PDF (the confirmation e-mail attachment). */
    async renderOrderPdf(orderId: string): Promise<Buffer | null> {
      const rows = await repo.listDetailedForOrder(db, orderId);
      return rows.length ? renderTicketPdf(pdfPages(rows)) : null;
    },

    /**
     * The seed's `/create-ticket`: stores the QR PNG of every ticket of a paid order and returns
     * their signed URLs. For the buyer and the organizer's team; anyone else gets 404.
     */
    async createOrderQrCodes(actor: TActor, orderId: string) {
      const user = requireUser(actor);
      const order = await db
        .selectFrom('orders')
        .innerJoin('events', 'events.id', 'orders.event_id')
        .select(['orders.id', 'orders.user_id', 'orders.status', 'events.organizer_id'])
        .where('orders.id', '=', orderId)
        .executeTakeFirst();
      if (
        !order ||
        (order.user_id !== user.userId &&
          !user.isAdmin &&
          (await findRole(db, user.userId, order.organizer_id)) === null)
      )
        throw new AppError('not_found', { resource: 'order' });
      if (order.status !== 'paid')
        throw new AppError('invalid_state', { status: order.status }, 'The order is not paid.');
      const rows = await repo.listForOrder(db, orderId);
      const expiresAt = new Date(clock.now().getTime() + settings.signedUrlTtlMs);
      const tickets = [];
      for (const row of rows) {
        const signed = await storage.signedUrl(await ensureQr(row), expiresAt);
        tickets.push({
          ticketId: row.id,
          url: signed.url,
          expiresAt: signed.expiresAt.toISOString(),
        });
      }
      return { orderId, tickets };
    },

    /** Job: stores the QR PNG of every ticket of an order (the seed's /create-ticket). */
    async storeQrCodes(orderId: string): Promise<number> {
      const rows = await repo.listForOrder(db, orderId);
      for (const row of rows) await ensureQr(row);
      return rows.length;
    },
  };
}

export type TTicketsService = ReturnType<typeof createTicketsService>;
