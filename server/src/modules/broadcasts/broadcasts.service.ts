import type { TDb } from '../../adapters/database/database.js';
import type { TBroadcastKind } from '../../adapters/database/schema.js';
import { enqueueJob } from '../../adapters/jobs/job-queue.js';
import type { TMailer } from '../../adapters/mail/mailer.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import type { TAuditRepository } from '../audit/audit.repository.js';
import type { TActor } from '../auth/actor.js';
import type { TEventsRepository } from '../events/events.repository.js';
import { requirePermission } from '../organizers/organizer-access.js';
import { formatEventTime } from '../../lib/event-time.js';
import type { TAudience, TBroadcastsRepository } from './broadcasts.repository.js';
import type { TAnnouncementRequest, TBroadcast } from './broadcasts.schema.js';
import { renderBroadcastMail } from './broadcasts.mail.js';

export type TBroadcastsServiceDeps = {
  db: TDb;
  repo: TBroadcastsRepository;
  events: TEventsRepository;
  audit: TAuditRepository;
  mailer: TMailer;
  clock: TClock;
  unsubscribeToken: (email: string, topic: string) => string;
  settings: { publicUrl: string; reminderLeadMs: number };
};

/** Recipients handled by one delivery job; a fan-out queues one job per batch. */
export const DELIVERY_BATCH_SIZE = 50;
/** A delivery the mail service refused this many times is given up. */
const MAX_DELIVERY_ATTEMPTS = 5;

const audiences: Record<TBroadcastKind, TAudience> = {
  announcement: {
    isForHolders: true,
    isForSubscribers: true,
    isForOrganizerFollowers: true,
    isOptOutRespectedForHolders: true,
  },
  reminder: {
    isForHolders: true,
    isForSubscribers: false,
    isForOrganizerFollowers: false,
    isOptOutRespectedForHolders: true,
  },
  // Holders must hear about a new time or place even if they opted out of the event's news.
  event_changed: {
    isForHolders: true,
    isForSubscribers: true,
    isForOrganizerFollowers: false,
    isOptOutRespectedForHolders: false,
  },
  // Holders get their own cancellation and refund e-mail per order; this tells the followers.
  event_cancelled: {
    isForHolders: false,
    isForSubscribers: true,
    isForOrganizerFollowers: true,
    isOptOutRespectedForHolders: true,
  },
};

/**
 * Announcements and system notices (reminders, changes, cancellation) to an event's ticket
 * holders and subscribers. A broadcast fans out into one delivery row per recipient in one
 * statement, then batches of rows are mailed by durable jobs; see `claimNext` for why nobody
 * gets a broadcast twice even when a worker dies mid-batch.
 */
export function createBroadcastsService(deps: TBroadcastsServiceDeps) {
  const { db, repo, events, audit, mailer, clock, unsubscribeToken, settings } = deps;

  /** Records a broadcast and queues its fan-out, in the caller's transaction. */
  async function createBroadcast(
    trx: TDb,
    input: {
      eventId: string;
      kind: TBroadcastKind;
      subject: string;
      body: string;
      createdBy: string | null;
      dedupeKey: string | null;
    },
  ): Promise<number | null> {
    const created = await repo.insert(trx, input);
    if (!created) return null;
    await enqueueJob(trx, clock, {
      kind: 'broadcasts.fan_out',
      dedupeKey: `broadcast-fan-out:${created.id}`,
      payload: { broadcastId: created.id },
    });
    return created.id;
  }

  async function list(eventId: string): Promise<TBroadcast[]> {
    const rows = await repo.listForEvent(db, eventId);
    return rows.map((row) => ({
      id: Number(row.id),
      eventId: row.event_id,
      kind: row.kind,
      subject: row.subject,
      body: row.body,
      createdAt: row.created_at.toISOString(),
      isFannedOut: row.fanned_out_at !== null,
      deliveries: {
        recipients: Number(row.recipients),
        pending: Number(row.pending),
        sent: Number(row.sent),
        failed: Number(row.failed),
        unconfirmed: Number(row.sending),
      },
    }));
  }

  async function loadEvent(
    actor: TActor,
    eventId: string,
    permission: 'events:write' | 'reports:read',
  ) {
    const event = await events.findById(db, eventId);
    if (!event) throw new AppError('not_found', { resource: 'event' });
    const access = await requirePermission(db, actor, event.organizer_id, permission, 'event');
    return { event, access };
  }

  const describeWhen = (event: { starts_at: Date; ends_at: Date; timezone: string }) =>
    formatEventTime(event.starts_at, event.ends_at, event.timezone);

  const describeWhere = (event: {
    venue_name: string | null;
    venue_address: string | null;
    venue_city: string | null;
    online_url: string | null;
  }) =>
    event.venue_name
      ? [event.venue_name, event.venue_address, event.venue_city].filter(Boolean).join(', ')
      : (event.online_url ?? 'online');

  return {
    /** A manager writes to the event's ticket holders and confirmed subscribers. */
    async announce(
      actor: TActor,
      eventId: string,
      input: TAnnouncementRequest,
    ): Promise<TBroadcast> {
      const { event, access } = await loadEvent(actor, eventId, 'events:write');
      if (event.status !== 'published')
        throw new AppError(
          'invalid_state',
          { status: event.status },
          'Announcements can be sent for published events only.',
        );
      const id = await db.transaction().execute(async (trx) => {
        const created = await createBroadcast(trx, {
          eventId,
          kind: 'announcement',
          subject: input.subject,
          body: input.body,
          createdBy: access.actor.userId,
          dedupeKey: null,
        });
        await audit.record(trx, {
          organizerId: event.organizer_id,
          actorUserId: access.actor.userId,
          action: 'event.announce',
          entityType: 'event',
          entityId: eventId,
          before: null,
          after: { broadcastId: created, subject: input.subject },
        });
        return created;
      });
      const found = (await list(eventId)).find((b) => b.id === id);
      if (!found) throw new Error('announcement vanished');
      return found;
    },

    /** The event's broadcasts with their delivery counts (managers). */
    async listForEvent(actor: TActor, eventId: string): Promise<TBroadcast[]> {
      await loadEvent(actor, eventId, 'reports:read');
      return list(eventId);
    },

    /** Job: writes the delivery rows and queues one delivery job per batch, atomically. */
    async fanOut(broadcastId: number): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const broadcast = await repo.findById(trx, broadcastId);
        if (!broadcast) return 0;
        if (broadcast.fanned_out_at) return 0;
        const recipients = await repo.insertDeliveries(
          trx,
          { id: broadcast.id, eventId: broadcast.event_id, organizerId: broadcast.organizer_id },
          audiences[broadcast.kind],
          clock.now(),
        );
        for (let batch = 0; batch * DELIVERY_BATCH_SIZE < recipients; batch += 1) {
          await enqueueJob(trx, clock, {
            kind: 'broadcasts.deliver',
            dedupeKey: `broadcast-deliver:${broadcastId}:${batch}`,
            payload: { broadcastId },
          });
        }
        return recipients;
      });
    },

    /**
     * Job: mails up to one batch of pending deliveries. A refusal by the mail service puts the
     * row back (nothing was sent) and fails the job so it is retried later.
     */
    async deliverBatch(broadcastId: number): Promise<number> {
      const broadcast = await repo.findById(db, broadcastId);
      if (!broadcast) return 0;
      let sent = 0;
      while (sent < DELIVERY_BATCH_SIZE) {
        const delivery = await repo.claimNext(db, broadcastId);
        if (!delivery) break;
        const mail = renderBroadcastMail({
          broadcast,
          delivery,
          publicUrl: settings.publicUrl,
          unsubscribeToken: unsubscribeToken(delivery.email, delivery.topic),
        });
        try {
          await mailer.send(mail);
        } catch (error) {
          await repo.markRefused(db, delivery.id, delivery.attempts >= MAX_DELIVERY_ATTEMPTS);
          throw error;
        }
        await repo.markSent(db, delivery.id, clock.now());
        sent += 1;
      }
      return sent;
    },

    /** Sweep: one reminder per event and start time, `reminderLeadMs` before it starts. */
    async sendDueReminders(): Promise<number> {
      const now = clock.now();
      const due = await db
        .selectFrom('events')
        .select(['id', 'title', 'starts_at', 'ends_at', 'timezone'])
        .select(['venue_name', 'venue_address', 'venue_city', 'online_url'])
        .where('status', '=', 'published')
        .where('starts_at', '>', now)
        .where('starts_at', '<=', new Date(now.getTime() + settings.reminderLeadMs))
        .where((eb) =>
          eb.or([
            eb('reminded_for_starts_at', 'is', null),
            eb('reminded_for_starts_at', '!=', eb.ref('starts_at')),
          ]),
        )
        .limit(100)
        .execute();
      let count = 0;
      for (const event of due) {
        await db.transaction().execute(async (trx) => {
          // The conditional update makes this instance the one that sends this reminder.
          const claimed = await trx
            .updateTable('events')
            .set({ reminded_for_starts_at: event.starts_at })
            .where('id', '=', event.id)
            .where('starts_at', '=', event.starts_at)
            .where((eb) =>
              eb.or([
                eb('reminded_for_starts_at', 'is', null),
                eb('reminded_for_starts_at', '!=', event.starts_at),
              ]),
            )
            .executeTakeFirst();
          if (Number(claimed.numUpdatedRows) !== 1) return;
          await createBroadcast(trx, {
            eventId: event.id,
            kind: 'reminder',
            subject: `Reminder: ${event.title} is coming up`,
            body: `${event.title} starts soon.\n\nWhen: ${describeWhen(event)}\nWhere: ${describeWhere(event)}\n\nYour tickets are in your account under My tickets; show the QR code at the entrance.`,
            createdBy: null,
            dedupeKey: `reminder:${event.id}:${event.starts_at.getTime()}`,
          });
          count += 1;
        });
      }
      return count;
    },

    /** Inside the transaction that changed the event's time or place. */
    async notifyEventChanged(trx: TDb, eventId: string): Promise<void> {
      const event = await events.findById(trx, eventId);
      if (!event || event.status !== 'published') return;
      await createBroadcast(trx, {
        eventId,
        kind: 'event_changed',
        subject: `Changed: ${event.title}`,
        body: `The time or place of ${event.title} has changed. Your tickets stay valid.\n\nWhen: ${describeWhen(event)}\nWhere: ${describeWhere(event)}`,
        createdBy: null,
        dedupeKey: null,
      });
    },

    /** Inside the transaction that cancels the event. */
    async notifyEventCancelled(trx: TDb, eventId: string): Promise<void> {
      const event = await events.findById(trx, eventId);
      if (!event) return;
      await createBroadcast(trx, {
        eventId,
        kind: 'event_cancelled',
        subject: `Cancelled: ${event.title}`,
        body: `We are sorry: ${event.title} (${describeWhen(event)}) has been cancelled. Ticket holders are refunded as the organizer's policy allows and receive a separate e-mail.`,
        createdBy: null,
        dedupeKey: `cancelled:${eventId}`,
      });
    },
  };
}

export type TBroadcastsService = ReturnType<typeof createBroadcastsService>;
