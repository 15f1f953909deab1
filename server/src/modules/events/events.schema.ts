import { z } from 'zod';
import { ZLimit, ZUuid } from '../../http/common.schema.js';

export const eventCategories = [
  'music',
  'conference',
  'workshop',
  'sports',
  'theatre',
  'festival',
  'food',
  'community',
  'exhibition',
  'comedy',
  'film',
  'other',
] as const;
export const ZCategory = z.enum(eventCategories);
export const ZEventStatus = z.enum(['draft', 'published', 'cancelled']);
export const ZAgeRating = z.enum(['all', '12+', '16+', '18+']);

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const ZTimeZone = z
  .string()
  .max(64)
  .refine(isValidTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin' });
const ZInstant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone offset' })
  .transform((s) => new Date(s));
const ZTags = z
  .array(z.string().trim().toLowerCase().min(1).max(30))
  .max(10)
  .transform((tags) => [...new Set(tags)]);
const ZHttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500);

export const ZVenue = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    address: z.string().trim().max(300).default(''),
    city: z.string().trim().min(1).max(100),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'),
  })
  .meta({ id: 'Venue' });

const eventFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).describe('Markdown'),
  category: ZCategory,
  tags: ZTags,
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language tag such as en or pt-BR'),
  ageRating: ZAgeRating,
  startsAt: ZInstant,
  endsAt: ZInstant,
  timezone: ZTimeZone,
  venue: ZVenue.nullable(),
  onlineUrl: ZHttpUrl.nullable(),
};

/**
 * zod still runs object-level refinements when a field failed (reporting everything at once),
 * so the values may not be Dates here: only compare when both are.
 */
const endsAfterStarts = (e: { startsAt?: unknown; endsAt?: unknown }) =>
  !(e.startsAt instanceof Date) ||
  !(e.endsAt instanceof Date) ||
  e.endsAt.getTime() > e.startsAt.getTime();

export const ZCreateEvent = z
  .strictObject({
    ...eventFields,
    description: eventFields.description.default(''),
    tags: eventFields.tags.default([]),
    language: eventFields.language.default('en'),
    ageRating: eventFields.ageRating.default('all'),
    venue: eventFields.venue.default(null),
    onlineUrl: eventFields.onlineUrl.default(null),
  })
  .refine(endsAfterStarts, { error: 'endsAt must be after startsAt', path: ['endsAt'] })
  .refine((e) => e.venue !== null || e.onlineUrl !== null, {
    error: 'give a venue or an onlineUrl',
    path: ['venue'],
  });
export type TCreateEvent = z.infer<typeof ZCreateEvent>;

export const ZUpdateEvent = z
  .strictObject({
    title: eventFields.title,
    description: eventFields.description,
    category: eventFields.category,
    tags: eventFields.tags,
    language: eventFields.language,
    ageRating: eventFields.ageRating,
    startsAt: eventFields.startsAt,
    endsAt: eventFields.endsAt,
    timezone: eventFields.timezone,
    venue: eventFields.venue,
    onlineUrl: eventFields.onlineUrl,
  })
  .partial()
  .refine(endsAfterStarts, { error: 'endsAt must be after startsAt', path: ['endsAt'] });
export type TUpdateEvent = z.infer<typeof ZUpdateEvent>;

export const ZImageVariants = z.object({ sm: z.string(), md: z.string(), lg: z.string() }).meta({
  id: 'ImageVariants',
  description: 'Signed URLs of the 400, 800 and 1600 px wide renditions.',
});

export const ZEvent = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    organizerId: z.uuid(),
    organizer: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }),
    title: z.string(),
    description: z.string(),
    descriptionHtml: z.string().describe('The description rendered from Markdown and sanitized.'),
    category: ZCategory,
    tags: z.array(z.string()),
    language: z.string(),
    ageRating: ZAgeRating,
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    timezone: z.string(),
    venue: z
      .object({ name: z.string(), address: z.string(), city: z.string(), country: z.string() })
      .nullable(),
    onlineUrl: z.string().nullable(),
    status: ZEventStatus,
    imageUrl: z.string().nullable(),
    imageVariants: ZImageVariants.nullable(),
    publishedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Event' });
export type TEvent = z.infer<typeof ZEvent>;

const ZDateOrInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be a date (YYYY-MM-DD) or an ISO date-time',
  })
  .transform((s) => ({
    date: new Date(s.length === 10 ? `${s}T00:00:00Z` : s),
    isDateOnly: s.length === 10,
  }));

export const ZEventListQuery = z.strictObject({
  q: z.string().max(200).optional(),
  category: ZCategory.optional(),
  city: z.string().trim().min(1).max(100).optional(),
  from: ZDateOrInstant.optional(),
  to: ZDateOrInstant.optional(),
  cursor: z.string().max(500).optional(),
  limit: ZLimit,
});
export type TEventListQuery = z.infer<typeof ZEventListQuery>;

export const ZOrganizerEventsQuery = z.strictObject({
  status: ZEventStatus.optional(),
  cursor: z.string().max(500).optional(),
  limit: ZLimit,
});
export type TOrganizerEventsQuery = z.infer<typeof ZOrganizerEventsQuery>;

export const ZEventRefParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[a-zA-Z0-9-]+$/, 'must be an event id or slug'),
});
export const ZEventParams = z.strictObject({ id: ZUuid });

export const ZEventImage = z
  .object({ imageUrl: z.string(), variants: ZImageVariants })
  .meta({ id: 'EventImage' });
