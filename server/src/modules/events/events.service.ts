import { z } from 'zod';
import type { TDb } from '../../adapters/database/database.js';
import { createMemo } from '../../adapters/cache/memo.js';
import type { TStorage } from '../../adapters/storage/storage.js';
import { AppError } from '../../errors.js';
import type { TClock } from '../../lib/clock.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { renderMarkdown } from '../../lib/markdown.js';
import { insertWithUniqueSlug, slugify } from '../../lib/slug.js';
import type { TActor } from '../auth/actor.js';
import type { TAuditRepository } from '../audit/audit.repository.js';
import { findRole, requirePermission } from '../organizers/organizer-access.js';
import { renderEventCalendar } from './event-calendar.js';
import { imageVariantWidths, processEventImage, type TImageVariant } from './event-image.js';
import type { TEventRow, TEventsRepository } from './events.repository.js';
import type {
  TCreateEvent,
  TEvent,
  TEventListQuery,
  TOrganizerEventsQuery,
  TUpdateEvent,
} from './events.schema.js';

const DAY_MS = 86_400_000;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZEventCursor = z.object({ s: z.iso.datetime(), i: z.uuid() });
/**
 * Public event pages and catalogue pages are kept this long per instance. Changes made through
 * this service clear the instance's cache at once; other instances (and changes made elsewhere,
 * e.g. an organizer's name) show within this bound.
 */
export const PUBLIC_READ_TTL_MS = 1_000;
/** A page read in steady use is reloaded in the background from this age, so no reader waits. */
export const PUBLIC_READ_REFRESH_MS = 500;

export type TEventsServiceDeps = {
  db: TDb;
  repo: TEventsRepository;
  audit: TAuditRepository;
  storage: TStorage;
  clock: TClock;
  settings: { publicUrl: string; imageMaxBytes: number };
  /** Runs inside the cancelling transaction: cancels holds and refunds orders (the orders module). */
  onEventCancelled?: (trx: TDb, eventId: string) => Promise<unknown>;
  /** Runs inside the updating transaction when a published event's time or place changed. */
  onEventMoved?: (trx: TDb, eventId: string) => Promise<unknown>;
};

/** A full-text query from what a visitor typed: each word as a prefix, all words required. */
export function toPrefixTsQuery(q: string | undefined): string | null {
  const words =
    (q ?? '')
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = words.slice(0, 8).map((w) => `${w.slice(0, 50)}:*`);
  return terms.length ? terms.join(' & ') : null;
}

export function createEventsService(deps: TEventsServiceDeps) {
  const { db, repo, audit, storage, clock, settings, onEventCancelled, onEventMoved } = deps;
  // Only what anyone may see is cached: published (or once-published) events, and catalogue pages.
  const publicEvents = createMemo<TEvent | null>(clock, {
    ttlMs: PUBLIC_READ_TTL_MS,
    refreshAfterMs: PUBLIC_READ_REFRESH_MS,
    maxEntries: 5_000,
  });
  const publicLists = createMemo<{ items: TEvent[]; nextCursor: string | null }>(clock, {
    ttlMs: PUBLIC_READ_TTL_MS,
    refreshAfterMs: PUBLIC_READ_REFRESH_MS,
    maxEntries: 1_000,
  });
  const forgetPublicReads = () => {
    publicEvents.clear();
    publicLists.clear();
  };
  const findByIdOrSlug = (idOrSlug: string) =>
    uuidPattern.test(idOrSlug) ? repo.findById(db, idOrSlug) : repo.findBySlug(db, idOrSlug);

  /**
   * Image URLs expire at a day boundary at least a day away, so every response during a day
   * carries the same URL and browsers and CDNs can cache the image.
   */
  async function imageUrls(imageKey: string | null) {
    if (!imageKey) return null;
    const expiresAt = new Date((Math.floor(clock.now().getTime() / DAY_MS) + 2) * DAY_MS);
    const entries = await Promise.all(
      (Object.keys(imageVariantWidths) as TImageVariant[]).map(
        async (size) =>
          [size, (await storage.signedUrl(`${imageKey}-${size}.webp`, expiresAt)).url] as const,
      ),
    );
    return Object.fromEntries(entries) as Record<TImageVariant, string>;
  }

  async function present(row: TEventRow): Promise<TEvent> {
    const variants = await imageUrls(row.image_key);
    return {
      id: row.id,
      slug: row.slug,
      organizerId: row.organizer_id,
      organizer: { id: row.organizer_id, name: row.organizer_name, slug: row.organizer_slug },
      title: row.title,
      description: row.description,
      descriptionHtml: renderMarkdown(row.description),
      category: row.category as TEvent['category'],
      tags: row.tags,
      language: row.language,
      ageRating: row.age_rating as TEvent['ageRating'],
      startsAt: row.starts_at.toISOString(),
      endsAt: row.ends_at.toISOString(),
      timezone: row.timezone,
      venue:
        row.venue_name !== null
          ? {
              name: row.venue_name,
              address: row.venue_address ?? '',
              city: row.venue_city ?? '',
              country: row.venue_country ?? '',
            }
          : null,
      onlineUrl: row.online_url,
      status: row.status,
      imageUrl: variants?.lg ?? null,
      imageVariants: variants,
      publishedAt: row.published_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  async function presentPage(rows: TEventRow[], limit: number) {
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await Promise.all(page.map(present)),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ s: last.starts_at.toISOString(), i: last.id })
          : null,
    };
  }

  /** Loads an event for an organizer-side action, authorizing the caller against its organizer. */
  async function loadForMember(
    actor: TActor,
    id: string,
    permission: 'events:read' | 'events:write',
  ) {
    const row = await repo.findById(db, id);
    if (!row) throw new AppError('not_found', { resource: 'event' });
    const access = await requirePermission(db, actor, row.organizer_id, permission, 'event');
    return { row, access };
  }

  /** Anyone may see published (and once-published, now cancelled) events; drafts only their team. */
  async function isVisible(actor: TActor, row: TEventRow): Promise<boolean> {
    if (row.published_at !== null) return true;
    if (!actor) return false;
    return actor.isAdmin || (await findRole(db, actor.userId, row.organizer_id)) !== null;
  }

  return {
    present,

    async createEvent(actor: TActor, organizerId: string, input: TCreateEvent): Promise<TEvent> {
      const { actor: user } = await requirePermission(db, actor, organizerId, 'events:write');
      const id = await db.transaction().execute(async (trx) => {
        const inserted = await insertWithUniqueSlug(
          slugify(input.title),
          (base) => repo.slugsLike(trx, base),
          (slug) =>
            repo.insertIfSlugFree(trx, {
              organizer_id: organizerId,
              slug,
              title: input.title,
              description: input.description,
              category: input.category,
              tags: input.tags,
              language: input.language,
              age_rating: input.ageRating,
              starts_at: input.startsAt,
              ends_at: input.endsAt,
              timezone: input.timezone,
              ...venueColumns(input.venue),
              online_url: input.onlineUrl,
            }),
        );
        await audit.record(trx, {
          organizerId,
          actorUserId: user.userId,
          action: 'event.create',
          entityType: 'event',
          entityId: inserted.id,
          after: {
            ...input,
            startsAt: input.startsAt.toISOString(),
            endsAt: input.endsAt.toISOString(),
          },
        });
        return inserted.id;
      });
      return present(await mustFind(id));
    },

    async updateEvent(actor: TActor, id: string, input: TUpdateEvent): Promise<TEvent> {
      const { row: before, access } = await loadForMember(actor, id, 'events:write');
      await db.transaction().execute(async (trx) => {
        const locked = await repo.lockById(trx, id);
        if (!locked) throw new AppError('not_found', { resource: 'event' });
        if (locked.status === 'cancelled') {
          throw new AppError(
            'event_not_editable',
            { status: locked.status },
            'A cancelled event cannot be edited.',
          );
        }
        const startsAt = input.startsAt ?? before.starts_at;
        const endsAt = input.endsAt ?? before.ends_at;
        if (endsAt.getTime() <= startsAt.getTime()) {
          throw new AppError('validation_failed', {
            issues: [{ path: ['endsAt'], message: 'endsAt must be after startsAt' }],
          });
        }
        const venue = input.venue !== undefined ? input.venue : before.venue_name;
        const onlineUrl = input.onlineUrl !== undefined ? input.onlineUrl : before.online_url;
        if (venue === null && onlineUrl === null) {
          throw new AppError('validation_failed', {
            issues: [{ path: ['venue'], message: 'give a venue or an onlineUrl' }],
          });
        }
        await repo.update(trx, id, {
          ...(input.title !== undefined ? { title: input.title } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.category !== undefined ? { category: input.category } : {}),
          ...(input.tags !== undefined ? { tags: input.tags } : {}),
          ...(input.language !== undefined ? { language: input.language } : {}),
          ...(input.ageRating !== undefined ? { age_rating: input.ageRating } : {}),
          ...(input.startsAt !== undefined ? { starts_at: input.startsAt } : {}),
          ...(input.endsAt !== undefined ? { ends_at: input.endsAt } : {}),
          ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
          ...(input.venue !== undefined ? venueColumns(input.venue) : {}),
          ...(input.onlineUrl !== undefined ? { online_url: input.onlineUrl } : {}),
          updated_at: clock.now(),
        });
        const isMoved =
          startsAt.getTime() !== before.starts_at.getTime() ||
          endsAt.getTime() !== before.ends_at.getTime() ||
          (input.venue !== undefined &&
            Object.entries(venueColumns(input.venue)).some(
              ([column, value]) => before[column as keyof typeof before] !== value,
            )) ||
          onlineUrl !== before.online_url;
        if (isMoved && locked.status === 'published') await onEventMoved?.(trx, id);
        await audit.record(trx, {
          organizerId: before.organizer_id,
          actorUserId: access.actor.userId,
          action: 'event.update',
          entityType: 'event',
          entityId: id,
          before: pickChanged(await present(before), Object.keys(input)),
          after: input,
        });
      });
      forgetPublicReads();
      return present(await mustFind(id));
    },

    publishEvent: (actor: TActor, id: string) => changeStatus(actor, id, 'published'),
    cancelEvent: (actor: TActor, id: string) => changeStatus(actor, id, 'cancelled'),

    /** One event by id or slug, as its visitor may see it. */
    async getEvent(actor: TActor, idOrSlug: string): Promise<TEvent> {
      const shared = await publicEvents.get(idOrSlug, async () => {
        const row = await findByIdOrSlug(idOrSlug);
        return row && row.published_at !== null ? present(row) : null;
      });
      if (shared) return shared;
      // Drafts depend on who asks: never cached.
      const row = await findByIdOrSlug(idOrSlug);
      if (!row || !(await isVisible(actor, row)))
        throw new AppError('not_found', { resource: 'event' });
      return present(row);
    },

    async getEventCalendar(actor: TActor, id: string): Promise<{ filename: string; body: string }> {
      const event = await this.getEvent(actor, id);
      return {
        filename: `${event.slug}.ics`,
        body: renderEventCalendar(event, settings.publicUrl),
      };
    },

    /** The public catalogue: published events that have not ended, searched and filtered. */
    listPublicEvents(query: TEventListQuery) {
      return publicLists.get(JSON.stringify(query), async () => {
        const after = decodeCursor(query.cursor, ZEventCursor);
        const now = clock.now();
        const rows = await repo.listPublic(db, {
          tsQuery: toPrefixTsQuery(query.q),
          category: query.category,
          city: query.city,
          endsAfter: query.from && query.from.date > now ? query.from.date : now,
          startsBefore: query.to
            ? new Date(query.to.date.getTime() + (query.to.isDateOnly ? DAY_MS : 0))
            : undefined,
          after: after ? { startsAt: new Date(after.s), id: after.i } : undefined,
          limit: query.limit,
        });
        return presentPage(rows, query.limit);
      });
    },

    /** Every event of an organizer in any status, for its members. */
    async listOrganizerEvents(actor: TActor, organizerId: string, query: TOrganizerEventsQuery) {
      await requirePermission(db, actor, organizerId, 'events:read');
      const after = decodeCursor(query.cursor, ZEventCursor);
      const rows = await repo.listForOrganizer(db, organizerId, {
        status: query.status,
        after: after ? { startsAt: new Date(after.s), id: after.i } : undefined,
        limit: query.limit,
      });
      return presentPage(rows, query.limit);
    },

    /**
     * Replaces the event image. The heavy work (decode, resize, store) happens before the
     * transaction, which then only swaps the key; the old files are removed afterwards.
     */
    async setEventImage(actor: TActor, id: string, bytes: Buffer) {
      const { row, access } = await loadForMember(actor, id, 'events:write');
      if (row.status === 'cancelled')
        throw new AppError('event_not_editable', { status: row.status });
      const image = await processEventImage(bytes, settings.imageMaxBytes);
      const key = `events/${id}/${image.hash}`;
      try {
        await Promise.all(
          (Object.keys(image.variants) as TImageVariant[]).map((size) =>
            storage.put(`${key}-${size}.webp`, image.variants[size], 'image/webp'),
          ),
        );
      } catch {
        throw new AppError(
          'service_unavailable',
          { store: 'object storage' },
          'The image could not be stored; try again.',
        );
      }
      await db.transaction().execute(async (trx) => {
        await repo.update(trx, id, { image_key: key, updated_at: clock.now() });
        await audit.record(trx, {
          organizerId: row.organizer_id,
          actorUserId: access.actor.userId,
          action: 'event.image',
          entityType: 'event',
          entityId: id,
          before: { imageKey: row.image_key },
          after: { imageKey: key },
        });
      });
      if (row.image_key && row.image_key !== key) {
        await Promise.allSettled(
          Object.keys(imageVariantWidths).map((size) =>
            storage.delete(`${row.image_key}-${size}.webp`),
          ),
        );
      }
      const variants = await imageUrls(key);
      forgetPublicReads();
      if (!variants) throw new Error('image key vanished');
      return { imageUrl: variants.lg, variants };
    },
  };

  async function mustFind(id: string): Promise<TEventRow> {
    const row = await repo.findById(db, id);
    if (!row) throw new AppError('not_found', { resource: 'event' });
    return row;
  }

  /** draft → published → cancelled; repeating the current status is a no-op. */
  async function changeStatus(
    actor: TActor,
    id: string,
    next: 'published' | 'cancelled',
  ): Promise<TEvent> {
    const { row, access } = await loadForMember(actor, id, 'events:write');
    await db.transaction().execute(async (trx) => {
      const locked = await repo.lockById(trx, id);
      if (!locked) throw new AppError('not_found', { resource: 'event' });
      if (locked.status === next) return;
      if (locked.status === 'cancelled') {
        throw new AppError(
          'event_not_editable',
          { status: locked.status },
          'A cancelled event cannot be published again.',
        );
      }
      await repo.setStatus(trx, id, next, clock.now());
      if (next === 'cancelled') await onEventCancelled?.(trx, id);
      await audit.record(trx, {
        organizerId: row.organizer_id,
        actorUserId: access.actor.userId,
        action: next === 'published' ? 'event.publish' : 'event.cancel',
        entityType: 'event',
        entityId: id,
        before: { status: locked.status },
        after: { status: next },
      });
    });
    forgetPublicReads();
    return present(await mustFind(id));
  }
}

export type TEventsService = ReturnType<typeof createEventsService>;

function venueColumns(venue: TCreateEvent['venue']) {
  return {
    venue_name: venue?.name ?? null,
    venue_address: venue?.address ?? null,
    venue_city: venue?.city ?? null,
    venue_country: venue?.country ?? null,
  };
}

function pickChanged(event: TEvent, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (event as Record<string, unknown>)[k]]));
}
