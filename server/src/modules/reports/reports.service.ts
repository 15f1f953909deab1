import { stringify } from 'csv-stringify/sync';
import type { TActivityStore } from '../../adapters/activity/activity-store.js';
import type { TDb } from '../../adapters/database/database.js';
import { AppError } from '../../errors.js';
import type { TActor } from '../auth/actor.js';
import { requireUser } from '../auth/auth.service.js';
import { renderCalendar, type TCalendarEvent } from '../events/event-calendar.js';
import type { TEventsRepository } from '../events/events.repository.js';
import { requirePermission } from '../organizers/organizer-access.js';
import type { TReportsRepository } from './reports.repository.js';
import type { TAnalytics, TAttendee } from './reports.schema.js';

/**
 * CSV as RFC 4180 (CRLF, quotes doubled) with formula injection neutralised: a cell starting
 * with `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe, so a spreadsheet shows it as text.
 */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return stringify([header, ...rows], { record_delimiter: 'windows', escape_formulas: true });
}

/** Analytics, attendee and order exports for the organizer's team, and the holder's calendar. */
export function createReportsService(deps: {
  db: TDb;
  repo: TReportsRepository;
  activity: TActivityStore;
  events: TEventsRepository;
  publicUrl: string;
}) {
  const { db, repo, activity, events, publicUrl } = deps;

  async function loadEvent(actor: TActor, eventId: string) {
    const event = await events.findById(db, eventId);
    if (!event) throw new AppError('not_found', { resource: 'event' });
    await requirePermission(db, actor, event.organizer_id, 'reports:read', 'event');
    return event;
  }

  async function listAttendees(eventId: string): Promise<TAttendee[]> {
    const rows = await repo.attendees(db, eventId);
    return rows.map((r) => ({
      ticketId: r.id,
      orderId: r.order_id,
      ticketTypeId: r.ticket_type_id,
      ticketTypeName: r.ticket_type_name,
      attendeeName: r.attendee_name,
      attendeeEmail: r.attendee_email,
      buyerEmail: r.buyer_email,
      status: r.status,
      checkedInAt: r.checked_in_at?.toISOString() ?? null,
      issuedAt: r.created_at.toISOString(),
    }));
  }

  return {
    async analytics(actor: TActor, eventId: string): Promise<TAnalytics> {
      const event = await loadEvent(actor, eventId);
      const [views, sales, types, dailySales] = await Promise.all([
        activity.eventViews(eventId, event.timezone),
        repo.salesTotals(db, eventId),
        repo.byTicketType(db, eventId),
        repo.dailySales(db, eventId, event.timezone),
      ]);
      const daily = new Map<string, TAnalytics['daily'][number]>();
      const dayOf = (date: string) => {
        const day = daily.get(date) ?? {
          date,
          views: 0,
          uniqueVisitors: 0,
          orders: 0,
          ticketsSold: 0,
          revenueCents: 0,
          checkIns: 0,
        };
        daily.set(date, day);
        return day;
      };
      for (const d of views.daily)
        Object.assign(dayOf(d.date), { views: d.views, uniqueVisitors: d.uniqueVisitors });
      for (const d of dailySales)
        Object.assign(dayOf(d.date), {
          orders: Number(d.orders),
          ticketsSold: Number(d.tickets),
          revenueCents: Number(d.revenue),
          checkIns: Number(d.check_ins),
        });
      const byTicketType = types.map((t) => ({
        ticketTypeId: t.id,
        name: t.name,
        capacity: Number(t.capacity),
        ticketsSold: Number(t.sold),
        revenueCents: Number(t.revenue),
        checkedIn: Number(t.checked_in),
      }));
      const ticketsSold = byTicketType.reduce((sum, t) => sum + t.ticketsSold, 0);
      return {
        eventId,
        timezone: event.timezone,
        currency: types[0]?.currency ?? null,
        views: views.views,
        uniqueVisitors: views.uniqueVisitors,
        orders: sales.orders,
        conversionRate: views.uniqueVisitors > 0 ? sales.orders / views.uniqueVisitors : null,
        ticketsSold,
        revenueCents: sales.revenue,
        checkIns: {
          admitted: byTicketType.reduce((sum, t) => sum + t.checkedIn, 0),
          total: ticketsSold,
        },
        byTicketType,
        daily: [...daily.values()].sort((a, b) => a.date.localeCompare(b.date)),
      };
    },

    async attendees(actor: TActor, eventId: string): Promise<TAttendee[]> {
      await loadEvent(actor, eventId);
      return listAttendees(eventId);
    },

    async attendeesCsv(actor: TActor, eventId: string) {
      const event = await loadEvent(actor, eventId);
      const rows = await listAttendees(eventId);
      return {
        filename: `${event.slug}-attendees.csv`,
        body: toCsv(
          [
            'ticket_id',
            'attendee_name',
            'attendee_email',
            'ticket_type',
            'status',
            'checked_in_at',
            'order_id',
            'buyer_email',
            'issued_at',
          ],
          rows.map((a) => [
            a.ticketId,
            a.attendeeName,
            a.attendeeEmail,
            a.ticketTypeName,
            a.status,
            a.checkedInAt,
            a.orderId,
            a.buyerEmail,
            a.issuedAt,
          ]),
        ),
      };
    },

    async ordersCsv(actor: TActor, eventId: string) {
      const event = await loadEvent(actor, eventId);
      const rows = await repo.orders(db, eventId);
      return {
        filename: `${event.slug}-orders.csv`,
        body: toCsv(
          [
            'order_id',
            'status',
            'buyer_name',
            'buyer_email',
            'tickets',
            'total',
            'currency',
            'payment_provider',
            'created_at',
            'paid_at',
            'cancelled_at',
            'refunded_at',
          ],
          rows.map((o) => [
            o.id,
            o.status,
            o.buyer_name,
            o.buyer_email,
            Number(o.quantity ?? 0),
            (Number(o.total_cents) / 100).toFixed(2),
            o.currency,
            o.payment_provider,
            o.created_at.toISOString(),
            o.paid_at?.toISOString() ?? null,
            o.cancelled_at?.toISOString() ?? null,
            o.refunded_at?.toISOString() ?? null,
          ]),
        ),
      };
    },

    /** Every event the signed-in person holds tickets for, as one calendar file. */
    async myCalendar(actor: TActor): Promise<string> {
      const user = requireUser(actor);
      const ids = await repo.heldEventIds(db, user.userId, user.email.toLowerCase());
      const rows = await Promise.all(ids.map((id) => events.findById(db, id)));
      const entries: TCalendarEvent[] = rows
        .filter((row) => row !== undefined)
        .filter((row) => row.status !== 'draft')
        .map((row) => ({
          id: row.id,
          slug: row.slug,
          title: row.title,
          description: row.description,
          startsAt: row.starts_at.toISOString(),
          endsAt: row.ends_at.toISOString(),
          status: row.status,
          venue: row.venue_name
            ? {
                name: row.venue_name,
                address: row.venue_address ?? '',
                city: row.venue_city ?? '',
                country: row.venue_country ?? '',
              }
            : null,
          onlineUrl: row.online_url,
          tags: row.tags,
          organizer: { name: row.organizer_name },
        }))
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      return renderCalendar(entries, publicUrl);
    },
  };
}

export type TReportsService = ReturnType<typeof createReportsService>;
